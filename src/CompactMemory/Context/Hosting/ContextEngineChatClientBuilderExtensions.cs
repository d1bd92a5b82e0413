using System;
using CompactMemory.Context;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a context engine to a chat pipeline (<see cref="ContextEngineChatClient"/>).</summary>
public static class ContextEngineChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ContextEngineChatClient"/> with <paramref name="engine"/> to the pipeline. Recommended order:
    /// <c>.UseFunctionInvocation().UseContextEngine(engine)</c> (the engine next to the model; see the client's remarks).
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="engine">The context engine; one per conversation.</param>
    /// <param name="configure">Sets the host's options (model, context window, session handling), or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseContextEngine(this ChatClientBuilder builder, IContextEngine engine, Action<ContextEngineHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(engine);
        return builder.UseContextEngine(_ => engine, configure);
    }

    /// <summary>
    /// Adds <see cref="ContextEngineChatClient"/> with an engine made from the pipeline's services (for example a scoped
    /// engine per conversation). An <see cref="ILoggerFactory"/> among the services provides the host's logger.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="engineFactory">Makes the engine from the services.</param>
    /// <param name="configure">Sets the host's options, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseContextEngine(this ChatClientBuilder builder, Func<IServiceProvider, IContextEngine> engineFactory, Action<ContextEngineHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(engineFactory);
        return builder.Use((inner, services) =>
        {
            var engine = engineFactory(services)
                ?? throw new InvalidOperationException("The context engine factory passed to UseContextEngine returned null; return the engine this pipeline should use.");
            var options = new ContextEngineHostOptions();
            configure?.Invoke(options);
            var logger = (services.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger(typeof(ContextEngineChatClient).FullName!);
            return new ContextEngineChatClient(inner, engine, options, logger);
        });
    }
}
