using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using CompactMemory.Cli.Output;
using CompactMemory.Registry;

namespace CompactMemory.Cli.Commands;

/// <summary><c>compact-memory engine list|info</c>: the engines a user can choose from.</summary>
internal static class EngineCommands
{
    public static Command Create(CliContext context)
    {
        var list = new Command("list", "List the compression engines compress --engine accepts.");
        list.SetAction(_ =>
        {
            // Only what `compress --engine` accepts: context engines compact conversations and are listed by `dev list-engines`.
            var active = context.Registry.List().Where(row => row.Status == EngineStatus.Active).ToList();
            var compression = active.Where(row => row.Kind == EngineKind.Compression).ToList();
            var others = active.Count - compression.Count;
            if (compression.Count == 0)
            {
                context.Output.WriteLine("No compression engines found.");
            }
            else
            {
                var table = new TextTable("Engine ID", "Display Name", "Version", "Source");
                foreach (var row in compression)
                {
                    table.AddRow(row.Id, row.DisplayName, row.Version, row.Source.Label);
                }

                table.WriteTo(context.Output, "Available Compression Engines");
            }

            if (others > 0)
            {
                context.Output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"({others} context engine(s) not listed: they compact conversations and cannot compress text; 'compact-memory dev list-engines' shows every engine.)"));
            }

            return ExitCodes.Success;
        });

        var id = new Argument<string>("ENGINE_ID") { Description = "The engine id." };
        var info = new Command("info", "Show one engine's metadata as JSON.") { id };
        info.SetAction(parse =>
        {
            var engineId = parse.GetValue(id)!;
            EngineRegistration registration;
            try
            {
                registration = context.Registry.Get(engineId);
            }
            catch (EngineNotFoundException notFound)
            {
                context.Error.WriteLine($"Engine '{engineId}' not found." + (notFound.ClosestMatch is null ? string.Empty : $" Did you mean '{notFound.ClosestMatch}'?"));
                return ExitCodes.Error;
            }

            var overridden = context.Registry.List().First(row => row.Id == engineId && row.Status == EngineStatus.Active).Overrides;
            context.Output.WriteLine(InfoJson(registration, overridden.Count > 0 ? overridden[0].Label : null));
            return ExitCodes.Success;
        });

        return new Command("engine", "List and inspect engines.") { list, info };
    }

    /// <summary>How listings name a kind: <c>compression</c> or <c>context</c>.</summary>
    internal static string KindName(EngineKind kind) => kind == EngineKind.Compression ? "compression" : "context";

    /// <summary>
    /// One line of JSON with the original's key order and separators: <c>{"display_name": …, "version": …, …}</c>, then
    /// <c>"kind"</c> (not in the original, which had only compression engines).
    /// </summary>
    private static string InfoJson(EngineRegistration registration, string? overrides)
    {
        var builder = new StringBuilder("{");
        Append(builder, "display_name", registration.DisplayName).Append(", ");
        Append(builder, "version", registration.Version).Append(", ");
        Append(builder, "source", registration.Source.Label).Append(", ");
        Append(builder, "overrides", overrides).Append(", ");
        Append(builder, "engine_id", registration.Id).Append(", ");
        Append(builder, "kind", KindName(registration.Kind));
        return builder.Append('}').ToString();
    }

    private static StringBuilder Append(StringBuilder builder, string key, string? value) =>
        builder.Append('"').Append(key).Append("\": ").Append(value is null ? "null" : JsonSerializer.Serialize(value, JsonContext.Default.String));
}

/// <summary>Source-generated JSON metadata for the few plain values the CLI serialises.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext;
