using Microsoft.CodeAnalysis;

namespace CompactMemory.Analyzers.Diagnostics;

/// <summary>
/// Every diagnostic the analyzers report. IDs are a public contract: stable, never reused. Each help link is the
/// repository-relative page <c>docs/diagnostics/CMxxxx.md</c>; every rule is listed in <c>AnalyzerReleases.*.md</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Where the help pages live, relative to the repository root: one page per ID.</summary>
    public const string HelpLinkBase = "docs/diagnostics/";

    /// <summary>CM0001: Engine id differs from the manifest.</summary>
    public static readonly DiagnosticDescriptor EngineIdDiffersFromManifest = new(
        id: DiagnosticIds.EngineIdDiffersFromManifest,
        title: "Engine id differs from the manifest",
        messageFormat: "Engine id '{0}' differs from engine_id '{1}' in engine_package.yaml; use the same id in [CompressionEngine] and the manifest",
        category: DiagnosticCategories.Manifest,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The id in [CompressionEngine] must equal engine_id in the project's engine_package.yaml: the loader refuses a package whose manifest and class disagree.",
        helpLinkUri: HelpLinkBase + "CM0001.md");

    /// <summary>CM0002: engine_class_name does not name the engine class.</summary>
    public static readonly DiagnosticDescriptor ManifestClassNameDoesNotNameEngine = new(
        id: DiagnosticIds.ManifestClassNameDoesNotNameEngine,
        title: "engine_class_name does not name the engine class",
        messageFormat: "engine_class_name '{0}' does not name an engine class in this project; set it to '{1}'",
        category: DiagnosticCategories.Manifest,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The loader instantiates the class named by engine_class_name, so it must be the namespace-qualified name of the class that carries [CompressionEngine].",
        helpLinkUri: HelpLinkBase + "CM0002.md");

    /// <summary>CM0003: engine_module does not match the assembly name.</summary>
    public static readonly DiagnosticDescriptor ManifestModuleDiffersFromAssembly = new(
        id: DiagnosticIds.ManifestModuleDiffersFromAssembly,
        title: "engine_module does not match the assembly name",
        messageFormat: "engine_module '{0}' does not match the assembly name '{1}'; set engine_module to '{1}'",
        category: DiagnosticCategories.Manifest,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The loader opens '<engine_module>.dll' inside the package folder; a module that is not this project's assembly will not be found.",
        helpLinkUri: HelpLinkBase + "CM0003.md");

    /// <summary>CM0004: The manifest is not valid YAML or not a mapping.</summary>
    public static readonly DiagnosticDescriptor ManifestIsNotValidYaml = new(
        id: DiagnosticIds.ManifestIsNotValidYaml,
        title: "The manifest is not valid YAML or not a mapping",
        messageFormat: "engine_package.yaml cannot be read: {0}",
        category: DiagnosticCategories.Manifest,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "engine_package.yaml must be a single YAML document whose root is a mapping of fields; otherwise no field can be read and the package cannot load.",
        helpLinkUri: HelpLinkBase + "CM0004.md");

    /// <summary>CM0005: A manifest field is missing, empty or of the wrong type.</summary>
    public static readonly DiagnosticDescriptor ManifestFieldInvalid = new(
        id: DiagnosticIds.ManifestFieldInvalid,
        title: "A manifest field is missing, empty or of the wrong type",
        messageFormat: "Manifest field '{0}' is not usable: {1}",
        category: DiagnosticCategories.Manifest,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every required manifest field must be present, non-empty and of the right type, or the loader rejects the package.",
        helpLinkUri: HelpLinkBase + "CM0005.md");

    /// <summary>
    /// CM0006: the default severity is Error (empty id, whitespace). The naming-convention case is reported with the
    /// same ID at Warning through <see cref="Diagnostic.Create(DiagnosticDescriptor, Location, DiagnosticSeverity, System.Collections.Generic.IEnumerable{Location}, System.Collections.Immutable.ImmutableDictionary{string, string}, object[])"/>,
    /// so one ID keeps one release-tracking entry and <c>.editorconfig</c> still controls both.
    /// </summary>
    public static readonly DiagnosticDescriptor EngineIdMalformed = new(
        id: DiagnosticIds.EngineIdMalformed,
        title: "Engine id is empty, has whitespace, or breaks the naming convention",
        messageFormat: "{0}",
        category: DiagnosticCategories.Engines,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Engine ids are typed on command lines and in configuration: an empty id or one with whitespace cannot be selected (error); ids should be lowercase snake_case or kebab-case (warning).",
        helpLinkUri: HelpLinkBase + "CM0006.md");

    /// <summary>CM0007: Two engines share an id.</summary>
    public static readonly DiagnosticDescriptor DuplicateEngineId = new(
        id: DiagnosticIds.DuplicateEngineId,
        title: "Two engines share an id",
        messageFormat: "Engine id '{0}' is also used by '{1}'; give each engine its own id",
        category: DiagnosticCategories.Engines,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Engines are selected by id, so two engines in one compilation with the same id make one of them unreachable.",
        helpLinkUri: HelpLinkBase + "CM0007.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>CM0008: The engine class cannot be instantiated.</summary>
    public static readonly DiagnosticDescriptor EngineCannotBeInstantiated = new(
        id: DiagnosticIds.EngineCannotBeInstantiated,
        title: "The engine class cannot be instantiated",
        messageFormat: "Engine class '{0}' cannot be instantiated because it {1}; make it a non-generic, non-abstract, non-static class with an accessible parameterless constructor or an (EngineConfig) constructor",
        category: DiagnosticCategories.Engines,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The catalog creates engines with an accessible parameterless constructor or a constructor taking EngineConfig; an abstract, generic or static class cannot be created.",
        helpLinkUri: HelpLinkBase + "CM0008.md");

    /// <summary>CM0009: The attributed class is not an engine.</summary>
    public static readonly DiagnosticDescriptor AttributedClassIsNotAnEngine = new(
        id: DiagnosticIds.AttributedClassIsNotAnEngine,
        title: "The attributed class is not an engine",
        messageFormat: "Class '{0}' has [CompressionEngine] but is neither a compression engine nor a context engine; derive it from CompressionEngine or ContextEngine",
        category: DiagnosticCategories.Engines,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "[CompressionEngine] registers a class as an engine, so the class must derive from CompressionEngine or implement IContextEngine.",
        helpLinkUri: HelpLinkBase + "CM0009.md");

    /// <summary>CM0010: A context engine lacks a token counter.</summary>
    public static readonly DiagnosticDescriptor ContextEngineLacksTokenCounter = new(
        id: DiagnosticIds.ContextEngineLacksTokenCounter,
        title: "A context engine lacks a token counter",
        messageFormat: "Context engine '{0}' has no readable int property '{1}'; add 'public int {1} {{ get; set; }}'",
        category: DiagnosticCategories.ContextEngines,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The host reads the six token counters by name from every context engine; an explicitly implemented or missing counter cannot be read.",
        helpLinkUri: HelpLinkBase + "CM0010.md");

    /// <summary>CM0011: A token counter is never maintained.</summary>
    public static readonly DiagnosticDescriptor TokenCounterNeverMaintained = new(
        id: DiagnosticIds.TokenCounterNeverMaintained,
        title: "A token counter is never maintained",
        messageFormat: "Context engine '{0}' never maintains '{1}'; {2}",
        category: DiagnosticCategories.ContextEngines,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Compaction decisions depend on the token counters; a counter that is never updated makes the engine compress too late or never.",
        helpLinkUri: HelpLinkBase + "CM0011.md");

    /// <summary>CM0012: A context engine's Name differs from its id.</summary>
    public static readonly DiagnosticDescriptor ContextEngineNameDiffersFromId = new(
        id: DiagnosticIds.ContextEngineNameDiffersFromId,
        title: "A context engine's Name differs from its id",
        messageFormat: "Name of context engine '{0}' returns '{1}' but its id is '{2}'; return \"{2}\"",
        category: DiagnosticCategories.ContextEngines,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The host configuration selects context engines by Name, so Name must return the same id as [CompressionEngine].",
        helpLinkUri: HelpLinkBase + "CM0012.md");

    /// <summary>CM0013: An engine with tools is not partial.</summary>
    public static readonly DiagnosticDescriptor EngineWithToolsIsNotPartial = new(
        id: DiagnosticIds.EngineWithToolsIsNotPartial,
        title: "An engine with tools is not partial",
        messageFormat: "Engine class '{0}' has [EngineTool] methods but is not partial; add the 'partial' modifier to it and its containing types",
        category: DiagnosticCategories.Tools,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The tool schemas and dispatch are generated into the engine class, which is only possible when it and its containing types are partial.",
        helpLinkUri: HelpLinkBase + "CM0013.md");

    /// <summary>CM0014: A tool type cannot be described as a JSON schema.</summary>
    public static readonly DiagnosticDescriptor ToolTypeHasNoJsonSchema = new(
        id: DiagnosticIds.ToolTypeHasNoJsonSchema,
        title: "A tool type cannot be described as a JSON schema",
        messageFormat: "Type '{0}' of {1} cannot be described as a JSON schema: {2}; use {3}",
        category: DiagnosticCategories.Tools,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The model calls tools with JSON arguments described by a JSON schema; a type without a schema cannot be passed or returned.",
        helpLinkUri: HelpLinkBase + "CM0014.md");

    /// <summary>CM0015: A tool name is invalid or used twice.</summary>
    public static readonly DiagnosticDescriptor ToolNameInvalidOrDuplicate = new(
        id: DiagnosticIds.ToolNameInvalidOrDuplicate,
        title: "A tool name is invalid or used twice",
        messageFormat: "Tool name '{0}' {1}; use a unique name matching ^[a-zA-Z0-9_-]{{1,64}}$",
        category: DiagnosticCategories.Tools,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Model providers reject tool names outside ^[a-zA-Z0-9_-]{1,64}$, and a name used twice makes one tool unreachable.",
        helpLinkUri: HelpLinkBase + "CM0015.md");

    /// <summary>CM0016: A tool or parameter has no description.</summary>
    public static readonly DiagnosticDescriptor ToolDescriptionMissing = new(
        id: DiagnosticIds.ToolDescriptionMissing,
        title: "A tool or parameter has no description",
        messageFormat: "{0} has no description; add [Description(\"...\")] or an XML doc comment",
        category: DiagnosticCategories.Tools,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "The model chooses and calls tools from their descriptions; an undescribed tool or parameter is used poorly or not at all.",
        helpLinkUri: HelpLinkBase + "CM0016.md");

    /// <summary>CM0017: EngineTool on a method that cannot be a tool.</summary>
    public static readonly DiagnosticDescriptor EngineToolOnInvalidMethod = new(
        id: DiagnosticIds.EngineToolOnInvalidMethod,
        title: "[EngineTool] on a method that cannot be a tool",
        messageFormat: "Method '{0}' cannot be a tool because {1}; put [EngineTool] on a public instance method of a context engine",
        category: DiagnosticCategories.Tools,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Only public instance methods of context engines are offered to the model; [EngineTool] anywhere else is silently ignored.",
        helpLinkUri: HelpLinkBase + "CM0017.md");

    /// <summary>CM0018: The manifest version differs from the project version.</summary>
    public static readonly DiagnosticDescriptor ManifestVersionDiffersFromProject = new(
        id: DiagnosticIds.ManifestVersionDiffersFromProject,
        title: "The manifest version differs from the project version",
        messageFormat: "Manifest version '{0}' differs from the project's version '{1}'; set version to '{1}'",
        category: DiagnosticCategories.Manifest,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The package version shown to users comes from the manifest, so it should match the version the project builds.",
        helpLinkUri: HelpLinkBase + "CM0018.md");
}
