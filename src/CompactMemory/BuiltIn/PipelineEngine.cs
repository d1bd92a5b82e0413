using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Compression;

namespace CompactMemory.BuiltIn;

/// <summary>
/// <c>pipeline</c>: runs engines one after another. Every stage gets the same budget and options; each stage after
/// the first compresses the previous stage's text and receives the previous result. The trace's steps are the
/// stages' traces. Configure it with <c>{"engines": [{"engine_name": "&lt;id&gt;", "engine_params": {…}}, …]}</c>,
/// where <c>engine_params.config</c> becomes the stage's configuration and other keys are added to it.
/// </summary>
[CompressionEngine(EngineId, DisplayName = "Pipeline", Description = "Runs several engines in sequence.")]
public sealed class PipelineEngine : CompressionEngine
{
    /// <summary>The engine id.</summary>
    public const string EngineId = "pipeline";

    private const string EmptyNote = "Pipeline was empty or no operations performed.";

    /// <summary>
    /// How deep pipelines may nest (a stage that is a pipeline counts one level). Deeper nesting gains nothing — stages
    /// run in order, so a nested pipeline's stages can be listed in the outer one — and would make every trace deeper.
    /// </summary>
    public const int MaxNesting = 16;

    /// <summary>Pipelines being built from JSON on this thread, outermost first; bounds the recursion through the resolver.</summary>
    [ThreadStatic]
    private static int t_buildingFromJson;

    /// <summary>Creates a pipeline from stages.</summary>
    /// <param name="stages">The stages, in order.</param>
    /// <param name="config">The pipeline's own configuration.</param>
    /// <exception cref="ArgumentException">
    /// A stage, or a stage's engine, is <see langword="null"/> (the message names its index), or pipelines would nest
    /// more than <see cref="MaxNesting"/> deep.
    /// </exception>
    public PipelineEngine(IEnumerable<PipelineStage> stages, EngineConfig? config = null)
        : base(config)
    {
        ArgumentNullException.ThrowIfNull(stages);
        Stages = stages.ToArray();
        Nesting = 1;
        for (var index = 0; index < Stages.Count; index++)
        {
            if (Stages[index]?.Engine is null)
            {
                throw new ArgumentException(
                    "Pipeline stage " + index.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + (Stages[index] is null ? " is null" : " ('" + Stages[index].EngineName + "') has no engine") + "; every stage needs an engine to run.",
                    nameof(stages));
            }

            if (Stages[index].Engine is PipelineEngine inner)
            {
                Nesting = Math.Max(Nesting, inner.Nesting + 1);
            }
        }

        if (Nesting > MaxNesting)
        {
            throw new ArgumentException(NestingMessage, nameof(stages));
        }
    }

    /// <summary>How many pipelines deep this one is: 1, plus the deepest pipeline among its stages.</summary>
    private int Nesting { get; }

    private static string NestingMessage =>
        "Pipelines are nested more than " + MaxNesting.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + " deep (a stage that is a pipeline, whose stage is a pipeline, and so on); list the inner stages in the outer pipeline instead, since stages run in order.";

    /// <summary>Creates a pipeline from engine instances.</summary>
    /// <param name="engines">The engines, in order.</param>
    public PipelineEngine(params CompressionEngine[] engines)
        : this(engines.Select(PipelineStage.Of))
    {
    }

    /// <inheritdoc />
    public override string Id => EngineId;

    /// <summary>The stages, in order.</summary>
    public IReadOnlyList<PipelineStage> Stages { get; }

    /// <summary>
    /// Builds a pipeline from its JSON configuration, creating each stage's engine through <paramref name="engines"/>.
    /// </summary>
    /// <param name="json">The configuration: an object with an <c>engines</c> list.</param>
    /// <param name="engines">Creates stage engines by id.</param>
    /// <param name="config">The pipeline's own configuration.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="PipelineConfigurationException">The configuration is malformed or a stage could not be created; the message says which.</exception>
    public static PipelineEngine FromJson(JsonNode? json, IEngineResolver engines, EngineConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(engines);
        if (json is not JsonObject root)
        {
            throw new PipelineConfigurationException("Pipeline config JSON must be a dictionary (object) with an 'engines' key.");
        }

        try
        {
            RequireUnicode(root);
        }
        catch (InvalidOperationException ex)
        {
            throw new PipelineConfigurationException("Pipeline config JSON holds a string that is not valid Unicode (an escaped lone surrogate such as \\ud800); escape whole surrogate pairs or write the characters themselves.", ex);
        }

        if (!root.TryGetPropertyValue("engines", out var list))
        {
            throw new PipelineConfigurationException("Pipeline config JSON dictionary must contain an 'engines' key.");
        }

        if (t_buildingFromJson >= MaxNesting)
        {
            throw new PipelineConfigurationException(NestingMessage) { IsStageFailure = true, IsNestingLimit = true };
        }

        t_buildingFromJson++;
        try
        {
            return new PipelineEngine(StagesFrom(list, engines), config);
        }
        finally
        {
            t_buildingFromJson--;
        }
    }

    private static List<PipelineStage> StagesFrom(JsonNode? list, IEngineResolver engines)
    {
        if (list is not JsonArray items)
        {
            throw new PipelineConfigurationException("The 'engines' key in pipeline config JSON must contain a list of engine configurations.");
        }

        var stages = new List<PipelineStage>();
        foreach (var item in items)
        {
            if (item is not JsonObject step)
            {
                throw new PipelineConfigurationException("Each item in the 'engines' list must be a dictionary, found: " + JsonTypeName(item));
            }

            stages.Add(StageFrom(step, stages.Count, engines));
        }

        return stages;
    }

    /// <summary>
    /// Parsed JSON may escape half of a surrogate pair (<c>"\ud800"</c>) in a value or a property name: it parses, and
    /// reading that string later throws <see cref="InvalidOperationException"/> wherever it is read (a stage name, a
    /// setting, a key). Every string of the configuration is read once here, so such text is the configuration error
    /// it is, before any stage is created.
    /// </summary>
    private static void RequireUnicode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var property in obj)
                {
                    RequireUnicode(property.Value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RequireUnicode(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }

    private static PipelineStage StageFrom(JsonObject step, int index, IEngineResolver engines)
    {
        if (!step.TryGetPropertyValue("engine_name", out var nameNode) || nameNode is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name))
        {
            throw new PipelineConfigurationException($"stage {index} has no 'engine_name' string naming the engine to run.") { IsStageFailure = true };
        }

        var parameters = new JsonObject();
        if (step.TryGetPropertyValue("engine_params", out var paramsNode) && paramsNode is not null)
        {
            if (paramsNode is not JsonObject given)
            {
                throw new PipelineConfigurationException($"stage {index} ('{name}'): 'engine_params' must be an object, found: {JsonTypeName(paramsNode)}") { IsStageFailure = true };
            }

            parameters = (JsonObject)given.DeepClone();
        }

        try
        {
            var config = EngineConfig.FromJsonObject(parameters["config"] as JsonObject);
            if (parameters.TryGetPropertyValue("config", out var configNode) && configNode is not null and not JsonObject)
            {
                throw new ConfigurationException($"'config' must be an object, found: {JsonTypeName(configNode)}");
            }

            foreach (var parameter in parameters.Where(p => p.Key != "config"))
            {
                if (parameter.Key == "enable_trace")
                {
                    config.EnableTrace = EngineConfig.FromJsonObject(new JsonObject { ["enable_trace"] = parameter.Value?.DeepClone() }).EnableTrace;
                }
                else
                {
                    config.Extras[parameter.Key] = parameter.Value?.DeepClone();
                }
            }

            return new PipelineStage(name, parameters, engines.CreateCompressionEngine(name, config));
        }
        catch (CompactMemoryException ex) when (ex is not PipelineConfigurationException { IsNestingLimit: true })
        {
            throw new PipelineConfigurationException($"stage {index} ('{name}'): {ex.Message}", ex) { IsStageFailure = true };
        }
    }

    /// <summary>
    /// Runs one stage. Whatever it throws is reported with the stage named, as construction failures are:
    /// <c>Pipeline stage 1 ('stopword_pruner') failed: …</c> — a <see cref="ConfigurationException"/> stays one, anything
    /// else becomes an <see cref="EngineException"/>; cancellation passes through unchanged.
    /// </summary>
    private static CompressedMemory RunStage(int index, PipelineStage stage, string text, int budget, CompressionOptions options)
    {
        CompressedMemory? result;
        try
        {
            result = stage.Engine.Compress(text, budget, options);
        }
        catch (OperationCanceledException) when (options.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var message = StageName(index, stage) + " failed: " + Registry.FailureText.Describe(ex);
            throw Registry.FailureText.Unwrap(ex) is ConfigurationException cause
                ? new ConfigurationException(message, cause)
                : new EngineException(message, ex);
        }

        return result ?? throw new EngineException(StageName(index, stage) + " failed: its engine returned no result; Compress must return a CompressedMemory");
    }

    private static string StageName(int index, PipelineStage stage) =>
        "Pipeline stage " + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ('" + stage.EngineName + "')";

    private static string JsonTypeName(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "list",
        JsonObject => "dictionary",
        JsonValue value => value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "str",
            System.Text.Json.JsonValueKind.Number => "number",
            _ => "bool",
        },
        _ => node.GetType().Name,
    };

    /// <inheritdoc />
    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ValidateBudget(budget);
        options?.CancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var tokenizer = TokenizerOf(options);
        var input = options?.PreviousResult?.Text ?? text;
        var trace = StartTrace(budget, options);
        var engineSteps = new JsonArray(Stages.Select(stage => (JsonNode)stage.ToJsonObject()).ToArray());
        if (trace is not null)
        {
            trace.StrategyParams["engines"] = engineSteps.DeepClone();
        }

        var engineConfig = Config.ToJsonObject();
        engineConfig["budget"] = budget;
        engineConfig["engines"] = engineSteps;

        if (Stages.Count == 0)
        {
            var metadata = options?.PreviousResult?.Metadata?.DeepClone() as JsonObject ?? [];
            metadata["notes"] = EmptyNote;
            if (trace is not null)
            {
                trace.InputSummary["original_length"] = input.Length;
                trace.OutputSummary["compressed_length"] = input.Length;
                CompleteTrace(trace, input, input, tokenizer, Stopwatch.GetElapsedTime(started));
            }

            return new CompressedMemory(input) { Metadata = metadata, EngineId = Id, EngineConfig = engineConfig, Trace = trace };
        }

        var previous = options?.PreviousResult;
        var current = input;
        for (var index = 0; index < Stages.Count; index++)
        {
            var stage = Stages[index];
            options?.CancellationToken.ThrowIfCancellationRequested();
            var stageOptions = new CompressionOptions
            {
                Tokenizer = options?.Tokenizer,
                Parameters = options?.Parameters,
                CancellationToken = options?.CancellationToken ?? default,
                PreviousResult = previous,
            };
            var result = RunStage(index, stage, current, budget, stageOptions);
            if (result.Trace is not null)
            {
                trace?.Steps.Add(result.Trace.ToJsonObject());
            }

            previous = result;
            current = result.Text;
        }

        if (trace is not null)
        {
            trace.InputSummary["original_length"] = input.Length;
            trace.OutputSummary["compressed_length"] = current.Length;
            CompleteTrace(trace, input, current, tokenizer, Stopwatch.GetElapsedTime(started));
        }

        return new CompressedMemory(current) { Metadata = previous?.Metadata?.DeepClone() as JsonObject, EngineId = Id, EngineConfig = engineConfig, Trace = trace };
    }
}
