using System;
using System.IO;
using CompactMemory.Context;
using Xunit;

namespace CompactMemory.Tests.Context.Configuration;

public sealed class ContextConfigTests
{
    [Fact]
    public void An_empty_file_gives_every_default()
    {
        var config = ContextConfig.Parse(string.Empty);

        Assert.True(config.Compression.Enabled);
        Assert.Equal(0.50, config.Compression.Threshold);
        Assert.Equal(0.20, config.Compression.TargetRatio);
        Assert.Equal(20, config.Compression.ProtectLastN);
        Assert.Equal(3, config.Compression.ProtectFirstN);
        Assert.False(config.Compression.AbortOnSummaryFailure);
        Assert.Equal(400, config.Compression.HygieneHardMessageLimit);
        Assert.Equal("auto", config.Auxiliary.Compression.Provider);
        Assert.Equal(string.Empty, config.Auxiliary.Compression.Model);
        Assert.Equal(TimeSpan.FromSeconds(120), config.Auxiliary.Compression.Timeout);
        Assert.Null(config.Auxiliary.Compression.ContextLength);
        Assert.Equal("compressor", config.Context.Engine);
        Assert.Empty(config.ModelThresholds);
    }

    [Fact]
    public void Every_key_of_the_contract_is_read()
    {
        var config = ContextConfig.Parse("""
            compression:
              enabled: false
              threshold: 0.75
              target_ratio: 0.3
              protect_last_n: 12
              protect_first_n: 2
              abort_on_summary_failure: true
              hygiene_hard_message_limit: 250
              codex_gpt55_autoraise: false
            auxiliary:
              compression:
                provider: openrouter
                model: gpt-4o-mini
                base_url: https://example.com/v1
                api_key: sk-test
                timeout: 30.5
                extra_body: {temperature: 0}
                context_length: 32000
            context:
              engine: lcm
            model_thresholds:
              gpt-4o: 0.6
              claude: 0.8
            """);

        Assert.False(config.Compression.Enabled);
        Assert.Equal(0.75, config.Compression.Threshold);
        Assert.Equal(0.3, config.Compression.TargetRatio);
        Assert.Equal(12, config.Compression.ProtectLastN);
        Assert.Equal(2, config.Compression.ProtectFirstN);
        Assert.True(config.Compression.AbortOnSummaryFailure);
        Assert.Equal(250, config.Compression.HygieneHardMessageLimit);
        Assert.False(config.Compression.CodexGpt55Autoraise);
        Assert.Equal("openrouter", config.Auxiliary.Compression.Provider);
        Assert.Equal("gpt-4o-mini", config.Auxiliary.Compression.Model);
        Assert.Equal("https://example.com/v1", config.Auxiliary.Compression.BaseUrl);
        Assert.Equal("sk-test", config.Auxiliary.Compression.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(30.5), config.Auxiliary.Compression.Timeout);
        Assert.True(config.Auxiliary.Compression.HasExtraBody);
        Assert.Equal(32000, config.Auxiliary.Compression.ContextLength);
        Assert.Equal("lcm", config.Context.Engine);
        Assert.Equal(new[] { "gpt-4o", "claude" }, config.ModelThresholds.Keys);
        Assert.Equal(0.8, config.ModelThresholds["claude"]);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("'YES'", true)]
    [InlineData("\"1\"", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    [InlineData("2", false)]
    [InlineData("1.0", false)]
    [InlineData("'enabled'", false)]
    [InlineData("", false)]
    [InlineData("null", false)]
    public void Enabled_is_true_only_for_true_1_or_yes(string value, bool expected)
    {
        Assert.Equal(expected, ContextConfig.Parse("compression:\n  enabled: " + value + "\n").Compression.Enabled);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("compressor")]
    public void A_falsy_engine_is_the_built_in_compressor(string value)
    {
        Assert.Equal("compressor", ContextConfig.Parse("context:\n  engine: " + value + "\n").Context.Engine);
    }

    [Fact]
    public void Protect_first_n_is_never_negative_and_numbers_may_be_quoted()
    {
        var config = ContextConfig.Parse("compression:\n  protect_first_n: -4\n  protect_last_n: '8'\n  threshold: \"0.6\"\n");

        Assert.Equal(0, config.Compression.ProtectFirstN);
        Assert.Equal(8, config.Compression.ProtectLastN);
        Assert.Equal(0.6, config.Compression.Threshold);
    }

    [Fact]
    public void Unknown_keys_and_sections_are_ignored()
    {
        var config = ContextConfig.Parse("""
            model:
              default: gpt-4o
            compression:
              some_future_key: [1, 2]
              threshold: 0.4
            plugins:
              enabled: [a]
            context:
              other: {x: 1}
            """);

        Assert.Equal(0.4, config.Compression.Threshold);
        Assert.Equal("compressor", config.Context.Engine);
    }

    [Fact]
    public void Thresholds_under_compression_win_over_top_level_ones_per_key()
    {
        var config = ContextConfig.Parse("model_thresholds:\n  a: 0.5\n  b: 0.6\ncompression:\n  model_thresholds:\n    b: 0.9\n");

        Assert.Equal(0.5, config.ModelThresholds["a"]);
        Assert.Equal(0.9, config.ModelThresholds["b"]);
    }

    [Theory]
    [InlineData("compression:\n  threshold: high\n", "config.yaml:2: 'compression.threshold' must be a number in (0, 1] — a share of the context window, such as 0.50; got the string 'high'.")]
    [InlineData("compression:\n  threshold: 50\n", "config.yaml:2: 'compression.threshold' must be a number in (0, 1]")]
    [InlineData("compression:\n  protect_last_n: 2.5\n", "config.yaml:2: 'compression.protect_last_n' must be a whole number, 0 or more, such as 20; got the number 2.5.")]
    [InlineData("compression:\n  protect_last_n: -1\n", "config.yaml:2: 'compression.protect_last_n' must be a whole number, 0 or more")]
    [InlineData("compression:\n  enabled: [true]\n", "config.yaml:2: 'compression.enabled' must be true or false; got a list.")]
    [InlineData("compression:\n  abort_on_summary_failure: sometimes\n", "config.yaml:2: 'compression.abort_on_summary_failure' must be true or false; got the string 'sometimes'.")]
    [InlineData("compression: 5\n", "config.yaml:1: 'compression' must be a mapping of settings")]
    [InlineData("a: 1\nauxiliary:\n  compression:\n    timeout: soon\n", "config.yaml:4: 'auxiliary.compression.timeout' must be a number of seconds greater than 0, such as 120; got the string 'soon'.")]
    [InlineData("auxiliary:\n  compression:\n    context_length: 0\n", "config.yaml:3: 'auxiliary.compression.context_length' must be a whole number greater than 0")]
    [InlineData("auxiliary:\n  compression:\n    model: {name: x}\n", "config.yaml:3: 'auxiliary.compression.model' must be a string; got a mapping.")]
    [InlineData("context:\n  engine: [lcm]\n", "config.yaml:2: 'context.engine' must be an engine name such as compressor; got a list.")]
    [InlineData("model_thresholds:\n  gpt-4o: lots\n", "config.yaml:2: 'model_thresholds.gpt-4o' must be a number in (0, 1]")]
    [InlineData("- compression\n", "config.yaml:1: the file must be a mapping of sections such as 'compression:' and 'context:'; got a list.")]
    public void Wrong_types_are_refused_with_the_line_the_key_and_the_type_expected(string yaml, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ContextConfig.Parse(yaml));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_names_the_source_and_line()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ContextConfig.Parse("compression:\n  threshold: [0.5\n", "/etc/agent.yaml"));

        Assert.StartsWith("/etc/agent.yaml:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_for_the_compressor_carry_every_setting()
    {
        var config = ContextConfig.Parse("""
            compression:
              threshold: 0.6
              target_ratio: 0.9
              protect_last_n: 10
              protect_first_n: 1
              abort_on_summary_failure: yes
            auxiliary:
              compression:
                model: summarizer
                timeout: 45
            model_thresholds:
              gpt: 0.7
            """);

        var options = config.ToCompressorOptions("gpt-4o", 200_000, 8_000);

        Assert.Equal("gpt-4o", options.Model);
        Assert.Equal(0.6, options.ThresholdPercent);
        Assert.Equal(0.9, options.SummaryTargetRatio);
        Assert.Equal(10, options.ProtectLastN);
        Assert.Equal(1, options.ProtectFirstN);
        Assert.True(options.AbortOnSummaryFailure);
        Assert.Equal("summarizer", options.SummaryModelOverride);
        Assert.Equal(TimeSpan.FromSeconds(45), options.SummaryTimeout);
        Assert.Equal(200_000, options.ContextLength);
        Assert.Equal(8_000, options.MaxTokens);
        Assert.Equal(0.7, options.ModelThresholds!["gpt"]);
        Assert.Null(ContextConfig.Default.ToCompressorOptions().SummaryModelOverride);
        Assert.Null(ContextConfig.Default.ToCompressorOptions().ModelThresholds);
    }

    [Fact]
    public void Load_reads_a_file_with_a_bom_and_names_it_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), "cm-config-" + Guid.NewGuid().ToString("N") + ".yaml");
        try
        {
            File.WriteAllText(path, "context:\n  engine: lcm\n", new System.Text.UTF8Encoding(true));
            Assert.Equal("lcm", ContextConfig.Load(path).Context.Engine);
            Assert.Equal(path, ContextConfig.Load(path).SourceName);

            File.WriteAllText(path, "compression:\n  threshold: x\n");
            var ex = Assert.Throws<ConfigurationException>(() => ContextConfig.Load(path));
            Assert.StartsWith(path + ":2: ", ex.Message, StringComparison.Ordinal);

            File.WriteAllBytes(path, new byte[] { 0x63, 0xFF, 0x3A });
            Assert.Contains("is not UTF-8 text", Assert.Throws<ConfigurationException>(() => ContextConfig.Load(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Contains("does not exist", Assert.Throws<ConfigurationException>(() => ContextConfig.Load(path)).Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", Assert.Throws<ConfigurationException>(() => ContextConfig.Load(Path.GetTempPath())).Message, StringComparison.Ordinal);
    }
}
