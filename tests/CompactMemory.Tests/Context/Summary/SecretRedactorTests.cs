using System;
using System.Linq;
using System.Text;
using CompactMemory.Context;
using CsCheck;
using Xunit;

namespace CompactMemory.Tests.Context.Summary;

public sealed class SecretRedactorTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    [Theory]
    [InlineData("key sk-proj-AbCdEf0123456789ghijKLMN here", "sk-proj-AbCdEf0123456789ghijKLMN")]
    [InlineData("anthropic sk-ant-api03-Zx9_yW8-vU7tS6rQ5pO4nM3lK2jI1hG0 end", "sk-ant-api03-Zx9_yW8-vU7tS6rQ5pO4nM3lK2jI1hG0")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE key", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("gh ghp_1234567890abcdefghijABCDEFGHIJ123456 token", "ghp_")]
    [InlineData("oauth gho_16C7e42F292c6912E7710c838347Ae178B4a", "gho_16C7e42F292c6912E7710c838347Ae178B4a")]
    [InlineData("server ghs_abcdefghijklmnop1234", "ghs_")]
    [InlineData("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-123456789012")]
    [InlineData("slack xoxp-1111-2222-3333-abcdef", "xoxp-1111")]
    [InlineData("Authorization: Bearer abc.DEF-ghi_jkl~mno+pqr/stu=", "abc.DEF-ghi_jkl~mno+pqr/stu")]
    [InlineData("curl -H 'authorization: basic dXNlcjpwYXNzd29yZA=='", "dXNlcjpwYXNzd29yZA==")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok", "eyJzdWIiOiIxMjM0NTY3ODkwIn0")]
    [InlineData("password=hunter2hunter2", "hunter2hunter2")]
    [InlineData("PASSWORD: \"correct horse battery\"", "correct horse battery")]
    [InlineData("{\"api_key\": \"abc123secretvalue\"}", "abc123secretvalue")]
    [InlineData("export OPENAI_API_KEY=notreallyakey42", "notreallyakey42")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("token=abcdef123456", "abcdef123456")]
    [InlineData("token: api_key: s3cr3tvalue", "s3cr3tvalue")]
    [InlineData("token= \"token\": \"s3cr3tvalue\"", "s3cr3tvalue")]
    [InlineData("password=abc=s3cr3tvalue==", "s3cr3tvalue")]
    [InlineData("db postgres://admin:s3cr3tP4ss@db.example.com:5432/app", "s3cr3tP4ss")]
    [InlineData("clone https://me:tok3nvalue@github.com/org/repo.git", "tok3nvalue")]
    [InlineData("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1L7VLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAu1SU1L7VLPHCozMxH2Mo")]
    public void Known_secret_shapes_are_replaced(string input, string secret)
    {
        var redacted = SecretRedactor.Redact(input);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Placeholder, redacted, StringComparison.Ordinal);
        Assert.Equal(redacted, SecretRedactor.Redact(redacted));
    }

    [Fact]
    public void Names_schemes_and_hosts_stay_so_the_text_still_reads()
    {
        Assert.Equal("password=[REDACTED] and more", SecretRedactor.Redact("password=hunter2 and more"));
        Assert.Equal("Authorization: Bearer [REDACTED]", SecretRedactor.Redact("Authorization: Bearer abcdefghijklmnop1234"));
        Assert.Equal("postgres://[REDACTED]@db.example.com/app", SecretRedactor.Redact("postgres://admin:pw@db.example.com/app"));
        Assert.Equal("use [REDACTED] now", SecretRedactor.Redact("use ghp_abcdefghijklmnopqrstuvwxyz0123456789 now"));
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog.")]
    [InlineData("\"max_tokens\": 500, \"prompt_tokens\": 12")]
    [InlineData("see https://example.com/docs/page?x=1 for details")]
    [InlineData("run scikit-learn and task-management-system")]
    [InlineData("C:\\work\\pkg\\module.py and /srv/app/main.py")]
    [InlineData("")]
    public void Ordinary_text_is_left_alone(string input) => Assert.Equal(input, SecretRedactor.Redact(input));

    [Fact]
    public void Null_is_refused_with_the_parameter_name()
    {
        var error = Assert.Throws<ArgumentNullException>(() => SecretRedactor.Redact(null!));
        Assert.Equal("text", error.ParamName);
    }

    private static readonly string[] Pieces =
    [
        "a", "word", "Hello", " ", "  ", "\t", "\n", "\r\n", ".", ",", "!", "?", "=", ":", "\"", "'", "/", "-", "_",
        "漢字", "\U0001F600", "e\u0301", "x1234567890123456", "token", "key", "http", "://", "@", "Bearer", "sk", "gh",
    ];

    private static readonly Gen<string> Noise =
        Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]).Array[0, 30].Select(parts => string.Concat(parts));

    private static readonly string[] Separators = [" ", "\n", "\t", " (", ") ", ", ", ". ", "; ", "\r\n"];

    private static readonly Gen<string> Alnum = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"].Array[24, 40].Select(c => new string(c));

    private static readonly Gen<string> Upper = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"].Array[16].Select(c => new string(c));

    /// <summary>(text with the secret, the part that must not survive).</summary>
    private static readonly Gen<(string Text, string Secret)> Secret = Gen.OneOf(
        Alnum.Select(s => ("sk-" + s, "sk-" + s)),
        Alnum.Select(s => ("sk-ant-api03-" + s, s)),
        Upper.Select(s => ("AKIA" + s, "AKIA" + s)),
        Gen.Select(Gen.Char["pousr"], Alnum).Select((c, s) => ("gh" + c + "_" + s, "gh" + c + "_")),
        Gen.Select(Gen.Char["abpr"], Alnum).Select((c, s) => ("xox" + c + "-" + s, s)),
        Alnum.Select(s => ("Bearer " + s, s)),
        Gen.Select(Alnum, Alnum).Select((a, b) => ("eyJ" + a + ".eyJ" + b + "." + a, "eyJ" + b)),
        Alnum.Select(s => ("password=" + s, s)),
        Alnum.Select(s => ("api_key: " + s, s)),
        Alnum.Select(s => ("\"token\": \"" + s + "\"", s)),
        Alnum.Select(s => ("https://user:" + s + "@example.com/x", s)));

    [Fact]
    public void Random_text_with_an_embedded_secret_never_keeps_the_secret()
    {
        Gen.Select(Noise, Gen.Int[0, Separators.Length - 1], Secret, Gen.Int[0, Separators.Length - 1], Noise)
            .Sample((before, s1, secret, s2, after) =>
            {
                var text = before + Separators[s1] + secret.Text + Separators[s2] + after;
                var redacted = SecretRedactor.Redact(text);
                Assert.DoesNotContain(secret.Secret, redacted, StringComparison.Ordinal);
                Assert.Equal(redacted, SecretRedactor.Redact(redacted));
            }, seed: Seed, iter: 3000, threads: 1);
    }

    [Fact]
    public void Hostile_megabyte_inputs_finish_and_still_redact()
    {
        const int Size = 1 << 20;
        string Repeat(string unit) => new StringBuilder(Size + unit.Length).Insert(0, unit, Size / unit.Length).ToString();

        var hostile = new[]
        {
            Repeat("password="),
            Repeat("a"),
            "sk-" + Repeat("a"),
            Repeat("https://a:"),
            Repeat("eyJa."),
            Repeat("Bearer "),
            Repeat("-----BEGIN RSA PRIVATE KEY-----"),
            Repeat("\"token\": \""),
            Repeat("ghp_"),
            Repeat("x@y:"),
            Repeat("password:"),
            Repeat("token: api_key: "),
            Repeat("secret=a="),
            Repeat("\"token\": \"a\": "),
        };

        foreach (var text in hostile)
        {
            var redacted = SecretRedactor.Redact(text);
            Assert.NotNull(redacted);
        }

        Assert.DoesNotContain("sk-aaaa", SecretRedactor.Redact("sk-" + Repeat("a")), StringComparison.Ordinal);
        Assert.EndsWith("api_key: [REDACTED] ", SecretRedactor.Redact(Repeat("token: api_key: ") + "hunter2 "), StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_context_is_redacted_and_cut_to_head_and_tail()
    {
        Assert.Equal(string.Empty, SecretRedactor.SanitizeMemoryContext(null!));
        Assert.Equal("user likes tea; password=[REDACTED]", SecretRedactor.SanitizeMemoryContext("user likes tea; password=hunter2"));

        var exact = new string('m', 6_000);
        Assert.Equal(exact, SecretRedactor.SanitizeMemoryContext(exact));

        var text = new string('h', 4_000) + new string('x', 3_000) + new string('t', 1_500);
        var sanitized = SecretRedactor.SanitizeMemoryContext(text);
        Assert.Equal(new string('h', 4_000) + "\n...[memory provider context truncated]...\n" + new string('t', 1_500), sanitized);
        Assert.Equal(SecretRedactor.MemoryContextTruncationMarker, "\n...[memory provider context truncated]...\n");
    }

    [Fact]
    public void Memory_context_cut_never_splits_a_surrogate_pair()
    {
        var text = new string('a', 3_999) + string.Concat(Enumerable.Repeat("\U0001F600", 2_000));
        var sanitized = SecretRedactor.SanitizeMemoryContext(text);
        for (var i = 0; i < sanitized.Length; i++)
        {
            if (char.IsHighSurrogate(sanitized[i]))
            {
                Assert.True(i + 1 < sanitized.Length && char.IsLowSurrogate(sanitized[i + 1]));
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(sanitized[i]));
            }
        }
    }
}
