using System;
using System.Linq;
using CompactMemory.Context;
using CompactMemory.Tests.Manifest;
using CsCheck;
using Xunit;

namespace CompactMemory.Tests.Context.Configuration;

/// <summary>
/// Generated <c>config.yaml</c> text — config-shaped files with values of every YAML type, and random YAML-like text —
/// is either read or refused with a <see cref="ConfigurationException"/> that names the source and a line; nothing
/// else is ever thrown, and every value read is in range.
/// </summary>
public sealed class ContextConfigPropertyTests
{
    private const ulong Seed = 20261203_12;

    private static readonly string[] Keys =
    {
        "enabled", "threshold", "target_ratio", "protect_last_n", "protect_first_n", "abort_on_summary_failure",
        "hygiene_hard_message_limit", "codex_gpt55_autoraise", "model_thresholds", "unknown",
    };

    private static readonly string[] AuxKeys = { "provider", "model", "base_url", "api_key", "timeout", "context_length", "extra_body" };

    private static readonly string[] Values =
    {
        "", "~", "true", "no", "On", "1", "0", "-3", "2.5", "0.5", "1e-1", ".inf", ".nan", "0x10", "0o7", "'0.3'", "\"yes\"",
        "[1, 2]", "{a: 1}", "{gpt: 0.5}", "{gpt: x}", "abc", "99999999999999999999", "!!str 5", "&a 0.4", "*a",
    };

    private static readonly Gen<string> ConfigShaped =
        Gen.Select(
                Gen.Int[0, Keys.Length - 1].Select(i => Keys[i]),
                Gen.Int[0, Values.Length - 1].Select(i => Values[i]),
                Gen.Int[0, AuxKeys.Length - 1].Select(i => AuxKeys[i]),
                Gen.Int[0, Values.Length - 1].Select(i => Values[i]))
            .Array[0, 8]
            .Select(entries =>
                "compression:\n" + string.Concat(entries.Select(e => "  " + e.Item1 + ": " + e.Item2 + "\n"))
                + "auxiliary:\n  compression:\n" + string.Concat(entries.Select(e => "    " + e.Item3 + ": " + e.Item4 + "\n"))
                + "context:\n  engine: " + (entries.Length > 0 ? entries[0].Item2 : string.Empty) + "\n");

    [Fact]
    public void Config_shaped_files_are_read_in_range_or_refused_with_a_line()
    {
        HostileManifests.ForAll(ConfigShaped, 3_000, Seed, Check, text => text);
    }

    [Fact]
    public void Random_yaml_like_text_is_read_or_refused_with_a_line()
    {
        HostileManifests.ForAll(HostileManifests.YamlishText, 3_000, Seed + 1, Check, text => text);
    }

    private static string? Check(string text)
    {
        try
        {
            var config = ContextConfig.Parse(text, "test.yaml");
            var c = config.Compression;
            if (!(c.Threshold > 0 && c.Threshold <= 1) || c.ProtectFirstN < 0 || c.ProtectLastN < 0 || c.HygieneHardMessageLimit <= 0
                || double.IsNaN(c.TargetRatio) || config.Auxiliary.Compression.Timeout <= TimeSpan.Zero
                || config.Auxiliary.Compression.ContextLength is <= 0 || string.IsNullOrEmpty(config.Context.Engine)
                || config.ModelThresholds.Values.Any(v => !(v > 0 && v <= 1)))
            {
                return "a value out of range was accepted";
            }

            _ = new ContextCompressor(config.ToCompressorOptions());
            return null;
        }
        catch (ConfigurationException ex)
        {
            return ex.Message.StartsWith("test.yaml:", StringComparison.Ordinal) ? null : "message without source and line: " + ex.Message;
        }
        catch (Exception ex)
        {
            return "threw " + ex.GetType().Name + ": " + ex.Message;
        }
    }
}
