using System;
using System.Diagnostics;
using System.IO;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>compress --dir reads each file inside --dir once, nothing outside it, and always finishes.</summary>
public sealed class DirectoryInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void A_symlink_back_to_its_own_directory_is_not_followed_again()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "a.txt"), "alpha");
        var sub = Directory.CreateDirectory(Path.Combine(input, "sub")).FullName;
        File.WriteAllText(Path.Combine(sub, "b.txt"), "beta");
        Directory.CreateSymbolicLink(Path.Combine(sub, "again"), ".");

        var result = _cli.RunWithin(Limit, "compress", "--dir", input, "-r", "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("alpha\n\nbeta", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
        Assert.Contains("Successfully read and combined content from 2 file(s). Skipped 0 file(s) due to errors.", result.Output, StringComparison.Ordinal);
        Assert.Equal($"Info: Not following symbolic link '{Path.Combine(sub, "again")}': it leads to '{sub}', which is already searched.\n", result.Error);
    }

    [Fact]
    public void Two_symlink_cycles_finish_and_read_each_file_once()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "a.txt"), "alpha");
        var sub = Directory.CreateDirectory(Path.Combine(input, "sub")).FullName;
        File.WriteAllText(Path.Combine(sub, "b.txt"), "beta");
        Directory.CreateSymbolicLink(Path.Combine(sub, "again"), ".");
        Directory.CreateSymbolicLink(Path.Combine(sub, "up"), "..");

        var result = _cli.RunWithin(Limit, "compress", "--dir", input, "-r", "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("alpha\n\nbeta", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
    }

    [Theory]
    [InlineData("../*.txt")]
    [InlineData("../../*.txt")]
    [InlineData("sub/../../*.txt")]
    [InlineData("**/../*.txt")]
    public void A_pattern_that_climbs_out_of_the_directory_is_a_usage_error(string pattern)
    {
        var (input, canary) = DirectoryWithCanaryBeside();

        var result = _cli.Run("compress", "--dir", input, "--pattern", pattern, "-e", "none", "-b", "1000", "-q");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: Invalid value for '--pattern': '{pattern}' contains '..', which leads out of --dir; a pattern only selects files inside --dir. Pass the directory you mean as --dir instead.\n", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(canary, result.Output + result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(input, "compressed_output.txt")));
    }

    [Fact]
    public void An_absolute_pattern_is_a_usage_error_that_shows_the_fix()
    {
        var input = _temp.CreateDirectory("docs");

        var result = _cli.Run("compress", "--dir", input, "--pattern", "/etc/*.conf", "-b", "10");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "Error: Invalid value for '--pattern': '/etc/*.conf' is an absolute path, but a pattern is matched inside --dir. Pass the directory as --dir and a relative pattern as --pattern: --dir '/etc' --pattern '*.conf'.\n" +
            "Run 'compact-memory compress --help' for usage.\n",
            result.Error);
    }

    [Theory]
    [InlineData("", "the pattern is empty; give a file pattern such as '*.txt'.")]
    [InlineData("sub/", "'sub/' ends with '/', so it names directories, not files; add the file part (for example 'sub/*.txt').")]
    [InlineData(".", "'.' names --dir itself, not files in it; give a file pattern such as '*.txt'.")]
    public void A_pattern_that_can_match_no_file_is_a_usage_error(string pattern, string message)
    {
        var input = _temp.CreateDirectory("docs");

        var result = _cli.Run("compress", "--dir", input, "--pattern", pattern, "-b", "10");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("Error: Invalid value for '--pattern': " + message + "\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_symlink_leading_outside_is_skipped_and_counted()
    {
        var (input, canary) = DirectoryWithCanaryBeside();
        var link = Path.Combine(input, "leak.txt");
        File.CreateSymbolicLink(link, Path.Combine("..", "canary.txt"));

        var result = _cli.Run("compress", "--dir", input, "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("inside", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
        Assert.Contains("Successfully read and combined content from 1 file(s). Skipped 1 file(s) due to errors.", result.Output, StringComparison.Ordinal);
        Assert.Equal($"Warning: Skipping '{link}': it is a symbolic link leading outside '{input}' (to '{Path.Combine(_temp.Path, "canary.txt")}'); only files inside --dir are read.\n", result.Error);
        Assert.DoesNotContain(canary, result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_symlink_leading_outside_is_not_followed()
    {
        var (input, canary) = DirectoryWithCanaryBeside();
        var outside = _temp.CreateDirectory("elsewhere");
        File.WriteAllText(Path.Combine(outside, "secret.txt"), canary);
        var link = Path.Combine(input, "ext");
        Directory.CreateSymbolicLink(link, outside);

        var result = _cli.Run("compress", "--dir", input, "-r", "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("inside", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
        Assert.Equal($"Warning: Not following symbolic link '{link}': it leads outside '{input}' (to '{outside}'); only files inside --dir are read.\n", result.Error);
    }

    [Fact]
    public void A_file_reached_directly_and_through_a_link_is_read_once_under_its_own_path()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "b.txt"), "beta");
        File.CreateSymbolicLink(Path.Combine(input, "a.txt"), "b.txt");

        var result = _cli.Run("compress", "--dir", input, "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("beta", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
        Assert.Equal($"Info: Not reading '{Path.Combine(input, "a.txt")}' again: it is the same file as '{Path.Combine(input, "b.txt")}'.\n", result.Error);
    }

    [Fact]
    public void A_pattern_may_name_a_directory_through_a_link_inside_the_directory()
    {
        var input = _temp.CreateDirectory("docs");
        var release = _temp.CreateDirectory("docs", "v2");
        File.WriteAllText(Path.Combine(release, "notes.txt"), "v2 notes");
        Directory.CreateSymbolicLink(Path.Combine(input, "latest"), "v2");

        var result = _cli.Run("compress", "--dir", input, "--pattern", "latest/*.txt", "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("v2 notes", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
    }

    [Fact]
    public void A_fifo_that_matches_is_skipped_with_a_warning_instead_of_waiting_forever()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "a.txt"), "alpha");
        var fifo = Path.Combine(input, "pipe.txt");
        MakeFifo(fifo);

        var result = _cli.RunWithin(Limit, "compress", "--dir", input, "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
        Assert.Contains("Successfully read and combined content from 1 file(s). Skipped 1 file(s) due to errors.", result.Output, StringComparison.Ordinal);
        Assert.Equal($"Warning: Skipping '{fifo}': it is a named pipe (FIFO), not a regular file.\n", result.Error);
    }

    [Fact]
    public void Compressed_output_is_never_written_through_a_symlink_planted_in_the_directory()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "a.txt"), "alpha");
        var victim = _temp.Combine("victim.txt");
        File.WriteAllText(victim, "precious");
        var planted = Path.Combine(input, "compressed_output.txt");
        File.CreateSymbolicLink(planted, victim);

        var result = _cli.Run("compress", "--dir", input, "-e", "none", "-b", "1000", "-q");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.EndsWith($"Error: '{planted}' is a symbolic link (to '{victim}'); compress does not write compressed_output.txt through a link. Remove the link or choose another --output-dir.\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_output_of_an_earlier_run_is_not_read_as_input()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "a.txt"), "alpha");
        var output = Path.Combine(input, "compressed_output.txt");

        var first = _cli.Run("compress", "--dir", input, "-e", "none", "-b", "1000", "-q");
        var second = _cli.Run("compress", "--dir", input, "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal("alpha", File.ReadAllText(output));
        Assert.Equal($"Info: Not reading '{output}': it is the compressed_output.txt this command writes.\n", second.Error);
    }

    [Fact]
    public void Files_are_combined_in_ordinal_order_of_their_paths()
    {
        var input = _temp.CreateDirectory("docs");
        foreach (var name in new[] { "b.txt", "B.txt", "_.txt", "a.txt", "é.txt", "Z.txt" })
        {
            File.WriteAllText(Path.Combine(input, name), name[..^4]);
        }

        var result = _cli.Run("compress", "--dir", input, "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("B\n\nZ\n\n_\n\na\n\nb\n\né", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
    }

    [Fact]
    public void A_globstar_without_recursive_warns_and_matches_no_subdirectory()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "a.txt"), "top");
        File.WriteAllText(Path.Combine(_temp.CreateDirectory("docs", "sub"), "b.txt"), "nested");

        var result = _cli.Run("compress", "--dir", input, "--pattern", "**/*.txt", "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("top", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
        Assert.StartsWith("Warning: Pattern includes '**' but --recursive not set;", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Character_classes_select_files_as_fnmatch_does()
    {
        var input = _temp.CreateDirectory("docs");
        foreach (var name in new[] { "a1.txt", "a2.txt", "b1.txt", "[x].txt" })
        {
            File.WriteAllText(Path.Combine(input, name), name);
        }

        var classes = _cli.Run("compress", "--dir", input, "--pattern", "[!b][0-1].txt", "-e", "none", "-b", "1000", "-q");
        var classText = File.ReadAllText(Path.Combine(input, "compressed_output.txt"));
        var literal = _cli.Run("compress", "--dir", input, "--pattern", "[[]x].txt", "-e", "none", "-b", "1000", "-q");

        Assert.Equal(0, classes.ExitCode);
        Assert.Equal("a1.txt", classText);
        Assert.Equal(0, literal.ExitCode);
        Assert.Equal("[x].txt", File.ReadAllText(Path.Combine(input, "compressed_output.txt")));
    }

    internal static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>docs/inside.txt, and beside docs a canary file whose content must never be read.</summary>
    private (string Input, string Canary) DirectoryWithCanaryBeside()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "inside.txt"), "inside");
        const string canary = "CANARY-0b5e7c";
        File.WriteAllText(_temp.Combine("canary.txt"), canary);
        return (input, canary);
    }
}
