using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Reflection;
using CompactMemory.Cli.Commands;

namespace CompactMemory.Cli;

/// <summary>Builds the <c>compact-memory</c> command tree and runs it with the exit codes of Compact Memory.</summary>
internal static class CliApp
{
    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs the command line and returns the exit code; never throws.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Stream input, Func<string, string?> environment)
    {
        try
        {
            var context = new CliContext(output, error, input, environment);
            var root = Build(context);
            // No response files: '--text @notes' is the text '@notes', never the content of a file named 'notes'.
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parse.Errors.Count > 0 && !IsHelpRequest(args))
            {
                foreach (var parseError in parse.Errors)
                {
                    error.WriteLine("Error: " + parseError.Message);
                }

                error.WriteLine($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
                return ExitCodes.Usage;
            }

            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            // Commands report every expected failure themselves; this keeps a bug from ending in a stack trace.
            error.WriteLine($"An unexpected error occurred: {ex.GetType().Name}: {ex.Message} (this is a bug in compact-memory; please report it with the command line that caused it)");
            return ExitCodes.Error;
        }
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new System.Collections.Generic.List<string>();
        for (var current = result; current?.Parent is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, current.Command.Name);
        }

        names.Insert(0, "compact-memory");
        return string.Join(' ', names);
    }

    private static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Compact Memory: shrink what an LLM has to read with pluggable compression engines.");
        foreach (var builtInVersion in root.Options.Where(o => o is VersionOption).ToList())
        {
            root.Options.Remove(builtInVersion);
        }

        var version = new Option<bool>("--version", "-v") { Description = "Show the version and exit." };
        root.Options.Add(version);
        root.SetAction(parse =>
        {
            if (parse.GetValue(version))
            {
                context.Output.WriteLine("Compact Memory version: " + Version);
                return ExitCodes.Success;
            }

            context.Error.WriteLine("Error: No command given. Run 'compact-memory --help' for the commands.");
            return ExitCodes.Usage;
        });

        root.Subcommands.Add(CompressCommand.Create(context));
        root.Subcommands.Add(EngineCommands.Create(context));
        root.Subcommands.Add(ContextCommands.Create(context));
        root.Subcommands.Add(DevCommands.Create(context));
        return root;
    }
}
