using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CompactMemory.Samples.AgentHost;

/// <summary>
/// The host's own tool, answered by <c>UseFunctionInvocation()</c> (not by the context engine): a fixed forecast,
/// declared by hand so no reflection is involved.
/// </summary>
internal sealed class WeatherTool : AIFunction
{
    private static readonly JsonElement Schema = JsonDocument.Parse(
        """{"type":"object","properties":{"city":{"type":"string","description":"The city."}},"required":["city"]}""").RootElement.Clone();

    /// <summary>How many times it was called.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc />
    public override string Name => "get_weather";

    /// <inheritdoc />
    public override string Description => "Gets next week's weather forecast for a city.";

    /// <inheritdoc />
    public override JsonElement JsonSchema => Schema;

    /// <inheritdoc />
    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        Calls++;
        var city = arguments.TryGetValue("city", out var value) ? value?.ToString() : null;
        return new ValueTask<object?>($"{city ?? "unknown city"}: 21 °C and sunny, 14 °C at night");
    }
}
