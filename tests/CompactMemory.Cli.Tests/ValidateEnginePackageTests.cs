using System;
using System.IO;
using System.Linq;
using System.Text;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

public sealed class ValidateEnginePackageTests : IDisposable
{
    private const string Header = "Engine package validation failed with errors:\n";
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    private string PackageWithManifest(string manifest)
    {
        var folder = _temp.CreateDirectory("pkg" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(Path.Combine(folder, "engine_package.yaml"), manifest);
        File.WriteAllText(Path.Combine(folder, "README.md"), "# x\n");
        return folder;
    }

    private CliResult Validate(string folder) => _cli.Run("dev", "validate-engine-package", folder);

    [Fact]
    public void A_valid_package_appears_valid()
    {
        var folder = new PluginPackageBuilder { EngineId = "fine" }.WriteTo(_temp.Path, "fine");

        var result = Validate(folder);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Engine package at '{folder}' appears valid.\n", result.Output);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void Warnings_do_not_fail_validation()
    {
        var folder = new PluginPackageBuilder { EngineId = "CamelCase", ClassId = "CamelCase", WithReadme = false, ExtraManifest = "homepage: x" }.WriteTo(_temp.Path, "warned");

        var result = Validate(folder);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "Warning: engine_id 'CamelCase' is not lowercase snake_case or kebab-case; prefer 'camel_case' (line 2)\n"
            + "Warning: Unknown field 'homepage' is ignored; check its spelling, or delete it (line 10)\n"
            + "Warning: README.md not found\n"
            + $"Engine package at '{folder}' appears valid.\n",
            result.Output);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_a_usage_error()
    {
        var result = Validate(_temp.Combine("nowhere"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: Invalid value for 'PACKAGE_PATH': '{_temp.Combine("nowhere")}' does not exist; give an engine package folder or a .nupkg file.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_manifest_is_named()
    {
        var result = Validate(_temp.CreateDirectory("empty"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Header + "- engine_package.yaml not found\n", result.Error);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_line()
    {
        var result = Validate(PackageWithManifest("engine_id: ok\ndisplay_name: \"unterminated\n"));

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^Engine package validation failed with errors:\n- Invalid engine_package\.yaml: .+ \(line \d+\)\n$", result.Error);
    }

    [Theory]
    [InlineData("- a\n- b\n", "a list")]
    [InlineData("just a string\n", "a string")]
    [InlineData("42\n", "the number 42")]
    public void A_root_that_is_not_a_mapping_is_refused(string manifest, string found)
    {
        var result = Validate(PackageWithManifest(manifest));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Header + $"- Invalid engine_package.yaml: the document must be a mapping of fields (key: value), but it is {found} (line 1)\n", result.Error);
    }

    [Fact]
    public void Every_missing_field_is_reported_at_once_in_declared_order()
    {
        var result = Validate(PackageWithManifest("# nothing yet\n"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            Header
            + "- Missing required field: package_format_version\n"
            + "- Missing required field: engine_id\n"
            + "- Missing required field: engine_class_name\n"
            + "- Missing required field: engine_module\n"
            + "- Missing required field: display_name\n"
            + "- Missing required field: version\n"
            + "- Missing required field: authors\n"
            + "- Missing required field: description\n",
            result.Error);
    }

    [Fact]
    public void Wrong_field_types_are_each_reported_with_their_line_and_fix()
    {
        var result = Validate(PackageWithManifest("""
            package_format_version: 1.0
            engine_id: [a, b]
            engine_class_name: X.Y
            engine_module: X
            display_name: true
            version: 1.2
            authors: someone
            description: {text: hi}
            overrides_builtin: "yes please"
            """));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            Header
            + "- Field 'package_format_version' must be a string, but YAML reads 1.0 as the number 1.0; quote it: package_format_version: \"1.0\" (line 1)\n"
            + "- Field 'engine_id' must be a string, but it is a list (line 2)\n"
            + "- Field 'display_name' must be a string, but YAML reads true as the boolean true; quote it: display_name: \"true\" (line 5)\n"
            + "- Field 'version' must be a string, but YAML reads 1.2 as the number 1.2; quote it: version: \"1.2\" (line 6)\n"
            + "- Field 'authors' must be a list, but it is a string; write it as: authors: [\"Ada Lovelace <ada@example.com>\"] (line 7)\n"
            + "- Field 'description' must be a string, but it is a mapping (line 8)\n"
            + "- Field 'overrides_builtin' must be true or false, but it is a string (line 9)\n"
            + "- X.dll not found in the package folder; build the engine and copy its output next to engine_package.yaml\n",
            result.Error);
    }

    [Fact]
    public void An_engine_module_outside_the_package_is_refused()
    {
        var result = Validate(PackageWithManifest(ValidManifest.Replace("engine_module: Engine", "engine_module: ../../etc/passwd", StringComparison.Ordinal)));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Header + "- engine_module '../../etc/passwd' must name an assembly inside the package folder, not a path; remove the directory part (line 4)\n", result.Error);
    }

    [Fact]
    public void A_missing_assembly_is_named()
    {
        var result = Validate(PackageWithManifest(ValidManifest));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Header + "- Engine.dll not found in the package folder; build the engine and copy its output next to engine_package.yaml\n", result.Error);
    }

    [Fact]
    public void A_missing_class_is_named()
    {
        var folder = new PluginPackageBuilder { EngineId = "lost_class" }.WriteTo(_temp.Path, "lost_class");
        var manifest = Path.Combine(folder, "engine_package.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("TestPlugins.SampleEngine", "TestPlugins.Missing", StringComparison.Ordinal));

        var result = Validate(folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^Engine package validation failed with errors:\n- Class TestPlugins\.Missing not found in TestPlugin\w+\n$", result.Error);
    }

    [Fact]
    public void A_class_that_is_not_an_engine_is_named()
    {
        var folder = new PluginPackageBuilder { EngineId = "plain", ClassName = "Plain", Source = "namespace TestPlugins; public class Plain { }" }.WriteTo(_temp.Path, "plain");

        var result = Validate(folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Header + "- TestPlugins.Plain is not a CompressionEngine; derive it from CompactMemory.Compression.CompressionEngine or CompactMemory.Context.ContextEngine\n", result.Error);
    }

    [Fact]
    public void A_class_id_that_differs_from_the_manifest_id_is_refused()
    {
        var folder = new PluginPackageBuilder { EngineId = "in_manifest", ClassId = "in_class" }.WriteTo(_temp.Path, "ids");

        var result = Validate(folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Header + "- engine_id 'in_manifest' does not match engine class id 'in_class'\n", result.Error);
    }

    [Fact]
    public void A_50_megabyte_manifest_is_refused_without_being_read()
    {
        var folder = _temp.CreateDirectory("huge");
        using (var stream = File.Create(Path.Combine(folder, "engine_package.yaml")))
        {
            stream.SetLength(50L * 1024 * 1024);
        }

        var result = Validate(folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Header + "- Invalid engine_package.yaml: the file is 52,428,800 bytes; a manifest may be at most 1,048,576 bytes\n", result.Error);
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused()
    {
        var bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append(level).Append(": &").Append(level).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat("*" + previous, 9))).Append("]\n");
        }

        var result = Validate(PackageWithManifest(bomb.ToString()));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(Header + "- Invalid engine_package.yaml: aliases expand to more than 10000 YAML nodes (an alias bomb?); write the values out instead (line ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_come_in_the_same_order_every_time()
    {
        var folder = PackageWithManifest("engine_id: \"has space\"\nversion: 2\nextra: 1\n");

        var first = Validate(folder);
        var second = Validate(folder);

        Assert.Equal(1, first.ExitCode);
        Assert.Equal(first.Error, second.Error);
        Assert.Equal(
            Header
            + "- Missing required field: package_format_version\n"
            + "- engine_id 'has space' contains whitespace; ids are typed on command lines, so use 'has_space' (line 1)\n"
            + "- Missing required field: engine_class_name\n"
            + "- Missing required field: engine_module\n"
            + "- Missing required field: display_name\n"
            + "- Field 'version' must be a string, but YAML reads 2 as the number 2; quote it: version: \"2\" (line 2)\n"
            + "- Missing required field: authors\n"
            + "- Missing required field: description\n",
            first.Error);
        Assert.Equal("Warning: Unknown field 'extra' is ignored; check its spelling, or delete it (line 3)\n", first.Output);
    }

    private const string ValidManifest = """
        package_format_version: "1.0"
        engine_id: valid
        engine_class_name: Acme.ValidEngine
        engine_module: Engine
        display_name: Valid
        version: "1.0.0"
        authors: ["Acme"]
        description: "Valid manifest, no assembly."
        """;
}
