using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// A context engine's tools as Microsoft.Extensions.AI <see cref="AIFunction"/>s, for a chat pipeline whose
/// <c>FunctionInvokingChatClient</c> should call them. Each function's schema is the engine's
/// <see cref="ToolSchema.Parameters"/>; invoking it serialises the arguments to JSON without reflection and calls
/// <see cref="IContextEngine.HandleToolCallAsync"/> (the engine's generated dispatch) with the live conversation.
/// </summary>
public static class ContextEngineTools
{
    /// <summary>The engine's tools as functions, deduplicated by name (the first wins); an exception becomes the contract's error JSON.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>One function per tool, in the engine's order.</returns>
    public static IReadOnlyList<AIFunction> AsAIFunctions(IContextEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var functions = new List<AIFunction>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var schema in engine.GetToolSchemas() ?? Array.Empty<ToolSchema>())
        {
            if (schema is null || string.IsNullOrEmpty(schema.Name) || !names.Add(schema.Name))
            {
                continue;
            }

            functions.Add(new EngineToolFunction(schema, (name, json, messages, token) => InvokeEngineAsync(engine, name, json, messages, token), null));
        }

        return functions;
    }

    /// <summary>The host's engine tools (<see cref="ContextEngineHost.Tools"/>) as functions that call <see cref="ContextEngineHost.HandleToolCallAsync"/>.</summary>
    /// <param name="host">The host.</param>
    /// <returns>One function per tool.</returns>
    public static IReadOnlyList<AIFunction> AsAIFunctions(ContextEngineHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return ForHost(host, null);
    }

    internal static IReadOnlyList<AIFunction> ForHost(ContextEngineHost host, Func<IReadOnlyList<ChatMessage>?>? liveMessages)
    {
        var functions = new List<AIFunction>(host.Tools.Count);
        foreach (var schema in host.Tools)
        {
            functions.Add(new EngineToolFunction(schema, (name, json, messages, token) => host.HandleToolCallAsync(name, json, messages, token), liveMessages));
        }

        return functions;
    }

    private static async Task<string> InvokeEngineAsync(IContextEngine engine, string name, string json, IReadOnlyList<ChatMessage>? messages, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.HandleToolCallAsync(name, json, new ToolCallContext { Messages = messages }, cancellationToken).ConfigureAwait(false)
                ?? ContextEngine.ErrorJson("Context engine tool '" + name + "' failed: it returned no result");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            return ContextEngine.ErrorJson("Context engine tool '" + name + "' failed: " + exception.Message);
        }
    }

    private sealed class EngineToolFunction(
        ToolSchema schema,
        Func<string, string, IReadOnlyList<ChatMessage>?, CancellationToken, Task<string>> invoke,
        Func<IReadOnlyList<ChatMessage>?>? liveMessages) : AIFunction
    {
        private static readonly JsonElement EmptyObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

        public override string Name => schema.Name;

        public override string Description => schema.Description ?? string.Empty;

        public override JsonElement JsonSchema => schema.Parameters.ValueKind == JsonValueKind.Object ? schema.Parameters : EmptyObjectSchema;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            var json = ChatMessageFacts.ArgumentsJson(arguments);
            IReadOnlyList<ChatMessage>? messages = null;
            if (FunctionInvokingChatClient.CurrentContext?.Messages is { } current)
            {
                messages = current as IReadOnlyList<ChatMessage> ?? new List<ChatMessage>(current);
            }

            messages ??= liveMessages?.Invoke();
            return await invoke(schema.Name, json, messages, cancellationToken).ConfigureAwait(false);
        }
    }
}
