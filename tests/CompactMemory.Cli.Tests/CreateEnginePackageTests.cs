using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using CompactMemory.Cli.Templates;
using CompactMemory.Testing;
using CsCheck;
using Xunit;

namespace CompactMemory.Cli.Tests;

public sealed class CreateEnginePackageTests : IDisposable
{
    /// <summary>Every placeholder of the template source; none may survive into a created project.</summary>
    private static readonly string[] Placeholders = ["MyCompany", "MyEngine", "my_engine", "My Engine", EngineTemplate.SdkVersionToken];

    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    private static string TemplatesProject =>
        typeof(CreateEnginePackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TemplatesProject").Value!;

    private static string ContentFolder => Path.Combine(TemplatesProject, "content");

    private static string[] FilesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();

    private CliResult Create(string target, params string[] options) =>
        _cli.Run(["dev", "create-engine-package", .. options, "--path", target]);

    [Theory]
    [InlineData("compression", "CompressionEngine")]
    [InlineData("context", "ContextEngine")]
    public void Writes_the_project_of_its_kind_with_every_placeholder_replaced(string kind, string baseClass)
    {
        var target = _temp.Combine("summarizer");

        var result = Create(target, "--name", "Acme.TextSummarizer", "--kind", kind);

        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        string[] expected =
        [
            ".gitignore",
            "Acme.TextSummarizer.Tests/Acme.TextSummarizer.Tests.csproj",
            "Acme.TextSummarizer.Tests/TextSummarizerEngineTests.cs",
            "Acme.TextSummarizer.slnx",
            "Acme.TextSummarizer/Acme.TextSummarizer.csproj",
            "Acme.TextSummarizer/README.md",
            "Acme.TextSummarizer/TextSummarizerEngine.cs",
            kind == "context" ? "Acme.TextSummarizer/experiments/data/conversation.txt" : "Acme.TextSummarizer/experiments/data/sample.txt",
            "Acme.TextSummarizer/experiments/example.yaml",
        ];
        Assert.Equal(expected.OrderBy(f => f, StringComparer.Ordinal), FilesUnder(target));
        foreach (var file in FilesUnder(target))
        {
            var text = File.ReadAllText(Path.Combine(target, file));
            foreach (var placeholder in Placeholders)
            {
                Assert.False(text.Contains(placeholder, StringComparison.Ordinal), $"{file} still holds '{placeholder}'");
            }
        }

        var project = File.ReadAllText(Path.Combine(target, "Acme.TextSummarizer", "Acme.TextSummarizer.csproj"));
        Assert.StartsWith($"<Project Sdk=\"CompactMemory.Sdk/{CliApp.Version}\">", project, StringComparison.Ordinal);
        Assert.Matches("<Description>.+</Description>", project);
        Assert.Contains("<Authors>Text Summarizer authors</Authors>", project, StringComparison.Ordinal);
        var engine = File.ReadAllText(Path.Combine(target, "Acme.TextSummarizer", "TextSummarizerEngine.cs"));
        Assert.Contains("namespace Acme.TextSummarizer;", engine, StringComparison.Ordinal);
        Assert.Contains("[CompressionEngine(\"text_summarizer\", DisplayName = \"Text Summarizer\"", engine, StringComparison.Ordinal);
        Assert.Contains($"public sealed partial class TextSummarizerEngine : {baseClass}", engine, StringComparison.Ordinal);
        if (kind == "context")
        {
            Assert.Contains("public override string Name => \"text_summarizer\";", engine, StringComparison.Ordinal);
        }

        var tests = File.ReadAllText(Path.Combine(target, "Acme.TextSummarizer.Tests", "TextSummarizerEngineTests.cs"));
        Assert.Contains("namespace Acme.TextSummarizer.Tests;", tests, StringComparison.Ordinal);
        Assert.Contains("engine.Id == \"text_summarizer\"", tests, StringComparison.Ordinal);
        Assert.Contains(
            "<ProjectReference Include=\"..\\Acme.TextSummarizer\\Acme.TextSummarizer.csproj\" />",
            File.ReadAllText(Path.Combine(target, "Acme.TextSummarizer.Tests", "Acme.TextSummarizer.Tests.csproj")),
            StringComparison.Ordinal);

        Assert.StartsWith($"Created the {kind} engine project 'Acme.TextSummarizer' (engine id 'text_summarizer') in {target}", result.Output, StringComparison.Ordinal);
        Assert.Contains("  dotnet build ", result.Output, StringComparison.Ordinal);
        Assert.Contains("  dotnet test ", result.Output, StringComparison.Ordinal);
        Assert.Contains("  compact-memory dev validate-engine-package Acme.TextSummarizer/bin/Debug/net10.0/engines/text_summarizer ", result.Output, StringComparison.Ordinal);
        Assert.Contains("  compact-memory dev install-engine packages/Acme.TextSummarizer.0.1.0.nupkg ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_folder_is_the_name_in_the_current_directory()
    {
        var name = "Acme.Default" + Guid.NewGuid().ToString("N")[..8];
        var expected = Path.GetFullPath(name);
        try
        {
            var result = _cli.Run("dev", "create-engine-package", "--name", name);

            Assert.Equal(0, result.ExitCode);
            Assert.True(File.Exists(Path.Combine(expected, name, name + ".csproj")));
        }
        finally
        {
            if (Directory.Exists(expected))
            {
                Directory.Delete(expected, recursive: true);
            }
        }
    }

    [Fact]
    public void An_existing_empty_folder_is_used()
    {
        var target = _temp.CreateDirectory("empty");

        var result = Create(target, "--name", "Acme.Empty");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(target, "Acme.Empty.slnx")));
    }

    [Fact]
    public void A_folder_that_is_not_empty_is_refused_and_left_alone()
    {
        var target = _temp.CreateDirectory("taken");
        File.WriteAllText(Path.Combine(target, "notes.txt"), "mine");

        var result = Create(target, "--name", "Acme.Taken");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: '{target}' is not empty; create-engine-package never overwrites files. Give a new or empty folder with --path.\n", result.Error);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal(["notes.txt"], FilesUnder(target));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target, "notes.txt")));
    }

    [Fact]
    public void A_folder_holding_only_an_empty_folder_is_refused_too()
    {
        var target = _temp.CreateDirectory("taken");
        Directory.CreateDirectory(Path.Combine(target, "sub"));

        var result = Create(target, "--name", "Acme.Taken");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not empty", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_is_a_file_is_a_usage_error()
    {
        var file = _temp.Combine("file.txt");
        File.WriteAllText(file, "x");

        var result = Create(file, "--name", "Acme.File");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Invalid value for '--path': '{file}' is a file, not a directory", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my-engine", "the part 'my-engine' is not a C# identifier (ASCII letters, digits and '_', not starting with a digit)", "use 'MyEngine'.")]
    [InlineData("my engine", "the part 'my engine' is not a C# identifier (ASCII letters, digits and '_', not starting with a digit)", "use 'MyEngine'.")]
    [InlineData("1Engine", "the part '1Engine' is not a C# identifier (ASCII letters, digits and '_', not starting with a digit)", "use 'Engine1Engine'.")]
    [InlineData("Acme..Engine", "it has an empty part (a leading, trailing or doubled '.')", "use 'Acme.Engine'.")]
    [InlineData("Acme.Engine.", "it has an empty part (a leading, trailing or doubled '.')", "use 'Acme.Engine'.")]
    [InlineData("Acme.class", "the part 'class' is a C# keyword", "use 'Acme.Class'.")]
    [InlineData("Acme.__", "its last part '__' has no letter or digit to make the engine id from", "use dot-separated parts such as 'Acme.Summarizer'.")]
    [InlineData("Acme.Résumé", "the part 'Résumé' is not a C# identifier (ASCII letters, digits and '_', not starting with a digit)", "use 'Acme.RSum'.")]
    [InlineData("Acme.Line\nBreak", "the part 'Line\\u000aBreak' is not a C# identifier (ASCII letters, digits and '_', not starting with a digit)", "use 'Acme.LineBreak'.")]
    public void A_name_that_is_not_a_project_name_is_refused_with_the_fix(string name, string problem, string fix)
    {
        var target = _temp.Combine("bad");

        var result = Create(target, "--name", name);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: Invalid value for '--name': '{name.Replace("\n", "\\u000a", StringComparison.Ordinal)}' is not a valid project name: {problem}. ", result.Error, StringComparison.Ordinal);
        Assert.Contains(fix + "\n", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void An_empty_or_overlong_name_is_refused()
    {
        var empty = Create(_temp.Combine("a"), "--name", string.Empty);
        var overlong = Create(_temp.Combine("b"), "--name", "Acme." + new string('x', 100));

        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("the name is empty; give the project a name such as 'Acme.Summarizer'.", empty.Error, StringComparison.Ordinal);
        Assert.Equal(2, overlong.ExitCode);
        Assert.Contains("the name is 105 characters long; a package id has at most 100.", overlong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_name_is_required_and_the_kind_checked()
    {
        var noName = _cli.Run("dev", "create-engine-package");
        var badKind = Create(_temp.Combine("k"), "--name", "Acme.Kind", "--kind", "summary");

        Assert.Equal(2, noName.ExitCode);
        Assert.Contains("--name", noName.Error, StringComparison.Ordinal);
        Assert.Equal(2, badKind.ExitCode);
        Assert.Contains("'summary'", badKind.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("k")));
    }

    [Theory]
    [InlineData("Acme.TextSummarizer", "text_summarizer", "TextSummarizerEngine", "Text Summarizer")]
    [InlineData("Summarizer", "summarizer", "SummarizerEngine", "Summarizer")]
    [InlineData("Acme.FastEngine", "fast_engine", "FastEngine", "Fast Engine")]
    [InlineData("Acme.XMLParser2Go", "xml_parser2_go", "XMLParser2GoEngine", "XML Parser2 Go")]
    [InlineData("Acme.my_engine", "my_engine", "my_engineEngine", "my engine")]
    [InlineData("Acme._2Fast", "2_fast", "_2FastEngine", "2 Fast")]
    public void The_engine_id_class_and_display_name_come_from_the_last_part_of_the_name(string name, string id, string className, string displayName)
    {
        foreach (var folder in EngineTemplate.Kinds.Values)
        {
            var symbols = EngineTemplate.Load(folder).Render(name, "1.2.3").Symbols;

            Assert.Equal(id, symbols["engineId"]);
            Assert.Equal(className, symbols["engineClassName"]);
            Assert.Equal(displayName, symbols["engineWords"]);
        }
    }

    [Fact]
    public void Every_valid_name_gives_a_conventional_engine_id_and_a_class_name_that_is_an_identifier()
    {
        var template = EngineTemplate.Load(EngineTemplate.Kinds["compression"]);
        var part = Gen.Select(Gen.Char["AaZz_0"].Array[0, 6], Gen.Char["abcXYZ09_"].Array[0, 8], (start, rest) => "P" + new string(start) + new string(rest));
        Gen.Select(part.Array[1, 4], parts => string.Join('.', parts))
            .Where(name => ProjectNames.Problem(name) is null)
            .Sample(name =>
            {
                var symbols = template.Render(name, "1.0.0").Symbols;
                Assert.Matches("^[a-z0-9]+([_-][a-z0-9]+)*$", symbols["engineId"]);
                Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*Engine$", symbols["engineClassName"]);
            }, iter: 300);
    }

    [Fact]
    public void The_embedded_templates_are_the_template_source_files()
    {
        var source = FilesUnder(ContentFolder);
        var embedded = EngineTemplate.EmbeddedFiles();

        Assert.Equal(source, embedded.Keys.ToArray());
        foreach (var file in source)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(ContentFolder, file)).AsSpan().SequenceEqual(embedded[file]), $"{file} differs from its embedded copy");
        }

        Assert.Equal(EngineTemplate.Kinds.Values.Order(StringComparer.Ordinal), Directory.GetDirectories(ContentFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_template_pack_and_the_command_replace_the_same_version_placeholder()
    {
        var project = File.ReadAllText(Path.Combine(TemplatesProject, "CompactMemory.Templates.csproj"));

        Assert.Contains($"<CompactMemorySdkVersionToken>{EngineTemplate.SdkVersionToken}</CompactMemorySdkVersionToken>", project, StringComparison.Ordinal);
        foreach (var folder in EngineTemplate.Kinds.Values)
        {
            var engineProject = File.ReadAllText(Path.Combine(ContentFolder, folder, "MyCompany.My-Engine", "MyCompany.My-Engine.csproj"));
            Assert.StartsWith($"<Project Sdk=\"CompactMemory.Sdk/{EngineTemplate.SdkVersionToken}\">", engineProject, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// dotnet new replaces several forms of sourceName; the templates use two, which the command supports: the name
    /// itself (paths, package id) and its namespace form (C# namespaces, RootNamespace).
    /// </summary>
    [Fact]
    public void The_template_source_uses_only_the_name_and_its_namespace_form()
    {
        foreach (var folder in EngineTemplate.Kinds.Values)
        {
            var template = EngineTemplate.Load(folder);
            Assert.Equal("MyCompany.My-Engine", template.SourceName);
            Assert.Equal("MyCompany.My_Engine", EngineTemplate.SafeNamespace(template.SourceName));
            foreach (var file in FilesUnder(Path.Combine(ContentFolder, folder)).Where(f => !f.StartsWith(".template.config/", StringComparison.Ordinal)))
            {
                var text = File.ReadAllText(Path.Combine(ContentFolder, folder, file));
                var withoutSupportedForms = text.Replace("MyCompany.My-Engine", string.Empty, StringComparison.Ordinal).Replace("MyCompany.My_Engine", string.Empty, StringComparison.Ordinal);
                Assert.False(withoutSupportedForms.Contains("mycompany", StringComparison.OrdinalIgnoreCase), $"{folder}/{file} uses another form of the template's sourceName");
            }
        }
    }

    [Fact]
    public void Replacement_takes_the_longest_match_and_never_replaces_a_replacement()
    {
        var replacements = new Dictionary<string, string>(StringComparer.Ordinal) { ["ab"] = "X", ["abc"] = "Y", ["X"] = "Z" };

        Assert.Equal("YXZa", EngineTemplate.ReplaceAll("abcabXa", replacements));
    }

    /// <summary>
    /// The command writes exactly what <c>dotnet new</c> writes from the same template source (in a private template
    /// hive, so the user's templates are untouched), for names that exercise every rule of template.json.
    /// </summary>
    [Fact]
    public void The_command_writes_what_dotnet_new_writes()
    {
        var hive = _temp.CreateDirectory("hive");
        foreach (var folder in EngineTemplate.Kinds.Values)
        {
            DotnetNew(hive, "install", Path.Combine(ContentFolder, folder));
        }

        foreach (var (kind, folder) in EngineTemplate.Kinds)
        {
            foreach (var name in new[] { "Acme.XMLParser2Go", "Acme.Tools.my_engine" })
            {
                var fromDotnetNew = _temp.Combine("new", kind, name);
                DotnetNew(hive, EngineTemplate.Load(folder).ShortName, "-n", name, "-o", fromDotnetNew);
                var fromCommand = _temp.Combine("cli", kind, name);
                Assert.Equal(0, Create(fromCommand, "--name", name, "--kind", kind).ExitCode);

                Assert.Equal(FilesUnder(fromDotnetNew), FilesUnder(fromCommand));
                foreach (var file in FilesUnder(fromCommand))
                {
                    var expected = File.ReadAllText(Path.Combine(fromDotnetNew, file)).Replace(EngineTemplate.SdkVersionToken, CliApp.Version, StringComparison.Ordinal);
                    Assert.True(expected == File.ReadAllText(Path.Combine(fromCommand, file)), $"{kind} {name}: {file} differs from what dotnet new wrote");
                }
            }
        }
    }

    private static void DotnetNew(string hive, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("new");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--debug:custom-hive");
        start.ArgumentList.Add(hive);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet new did not finish within two minutes: " + string.Join(' ', args));
        }

        Assert.True(process.ExitCode == 0, $"dotnet new {string.Join(' ', args)} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
    }
}
