using System;
using System.Linq;
using CompactMemory.Tokens;
using Xunit;

namespace CompactMemory.Tests.Tokens;

public sealed class DefaultTokenizerTests
{
    private static readonly DefaultTokenizer Tokenizer = DefaultTokenizer.Instance;

    [Theory]
    [InlineData("one two three")]
    [InlineData("  leading and trailing spaces   ")]
    [InlineData("Hello, world! How are you?")]
    [InlineData("line one\nline two\r\n\tindented line\n\n")]
    [InlineData("a  b   c    d")]
    [InlineData("你好，世界。こんにちは 안녕하세요")]
    [InlineData("supercalifragilisticexpialidocious and a_very_long_identifier_name_here")]
    [InlineData("https://example.com/path?query=1&b=2#frag")]
    [InlineData("emoji 😀 and 𠀀 astral")]
    [InlineData("")]
    [InlineData("   \n\t  ")]
    public void Join_of_Tokenize_gives_back_the_trimmed_text_and_counts_agree(string text)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(text.Trim(), Tokenizer.Join(tokens));
        Assert.Equal(tokens.Count, Tokenizer.CountTokens(text));
        Assert.All(tokens, token => Assert.False(string.IsNullOrWhiteSpace(token)));
    }

    [Fact]
    public void Pieces_carry_the_whitespace_before_them()
    {
        var tokens = Tokenizer.Tokenize("one  two\nthree");

        Assert.Equal(new[] { "one", "  two", "\nthree" }, tokens);
    }

    [Fact]
    public void Joining_a_selection_drops_the_leading_whitespace_of_the_first_piece()
    {
        var tokens = Tokenizer.Tokenize("one two three four");

        Assert.Equal("three four", Tokenizer.Join(tokens.Skip(2)));
        Assert.Equal("one four", Tokenizer.Join(new[] { tokens[0], tokens[3] }));
    }

    [Theory]
    [InlineData("  a b  \n", 3)]
    [InlineData("  a b  \n", 2)]
    [InlineData("a b c   ", 3)]
    [InlineData("\tHello,   world!\n\n", 4)]
    [InlineData("\tHello,   world!\n\n", 100)]
    [InlineData("", 5)]
    public void Truncate_returns_the_text_unchanged_whitespace_included_when_within_the_limit(string text, int maxTokens)
    {
        Assert.Equal(text, Tokenizer.Truncate(text, maxTokens));
    }

    [Fact]
    public void Truncate_cuts_to_the_first_tokens_when_over_the_limit()
    {
        Assert.Equal("one two", Tokenizer.Truncate("one two three four", 2));
        Assert.Equal("Hello,", Tokenizer.Truncate("Hello, world!", 2));
        Assert.Equal(3, Tokenizer.CountTokens(Tokenizer.Truncate("a b c d e f", 3)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Truncate_to_zero_or_less_is_empty(int maxTokens)
    {
        Assert.Equal(string.Empty, Tokenizer.Truncate("one two three", maxTokens));
    }

    [Fact]
    public void Punctuation_characters_are_tokens_of_their_own()
    {
        var tokens = Tokenizer.Tokenize("Hello, world!");

        Assert.Equal(new[] { "Hello", ",", " world", "!" }, tokens);
        Assert.Equal(6, Tokenizer.CountTokens("(a) [b]"));
        Assert.Equal(3, Tokenizer.CountTokens("..."));
    }

    [Fact]
    public void Each_CJK_character_is_one_token()
    {
        Assert.Equal(new[] { "你", "好", "世", "界" }, Tokenizer.Tokenize("你好世界"));
        Assert.Equal(8, Tokenizer.CountTokens("日本語のテキスト"));
        Assert.Equal(2, Tokenizer.CountTokens("안녕"));
        // A supplementary-plane ideograph (U+20000) is one token too, not glued to its neighbours.
        Assert.Equal(new[] { "\U00020000", "\U00020001" }, Tokenizer.Tokenize("\U00020000\U00020001"));
    }

    [Theory]
    [InlineData("abcdefghijkl", 1)]
    [InlineData("abcdefghijklm", 2)]
    [InlineData("abcdefghijklmnopqrstuvwxyz", 3)]
    [InlineData("abcdefghijklmnopqrstuvwx", 2)]
    public void Words_longer_than_twelve_characters_are_split(string word, int expected)
    {
        Assert.Equal(expected, Tokenizer.CountTokens(word));
    }

    [Fact]
    public void Long_words_split_into_twelve_character_pieces()
    {
        Assert.Equal(12, DefaultTokenizer.MaxWordPieceLength);
        Assert.Equal(new[] { "abcdefghijkl", "mnopqrstuvwx", "yz" }, Tokenizer.Tokenize("abcdefghijklmnopqrstuvwxyz"));
    }

    [Fact]
    public void Letters_digits_and_underscores_form_one_word()
    {
        Assert.Equal(new[] { "snake_case1" }, Tokenizer.Tokenize("snake_case1"));
        Assert.Equal(new[] { "kebab", "-", "case" }, Tokenizer.Tokenize("kebab-case"));
    }

    [Fact]
    public void Tokenizing_is_deterministic()
    {
        const string text = "The quick brown fox, 狐狸, jumps over the extraordinarily_long_identifier! 😀";
        var first = Tokenizer.Tokenize(text);
        var second = new DefaultTokenizer().Tokenize(text);

        Assert.Equal(first, second);
        Assert.Equal(Tokenizer.CountTokens(text), new DefaultTokenizer().CountTokens(text));
        Assert.Equal(Tokenizer.Truncate(text, 5), new DefaultTokenizer().Truncate(text, 5));
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Tokenize(null!));
        Assert.Throws<ArgumentNullException>(() => Tokenizer.CountTokens(null!));
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Truncate(null!, 3));
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Join(null!));
    }

    [Fact]
    public void The_estimator_names_itself()
    {
        Assert.Equal("default-estimator", Tokenizer.Name);
    }
}
