using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CompactMemory.Sdk.Tasks;

/// <summary>
/// Reads the <c>[assembly: CompactMemory.EnginePackageManifestAttribute(engineId, manifestYaml, toolsJson)]</c> values
/// the generator stamped on a built engine assembly and writes the chosen engine's <c>engine_package.yaml</c> and
/// <c>tools.json</c> into <see cref="OutputDirectory"/>. The assembly is read as metadata with
/// System.Reflection.Metadata: it is never loaded and none of its code runs.
/// </summary>
/// <remarks>
/// One engine: it is written. Several: <see cref="EngineId"/> (the <c>CompactMemoryPackageEngineId</c> property)
/// chooses, and without it the build fails naming the ids. None: nothing is written and files left by an earlier
/// build are deleted (a host project, or a project whose engines were removed).
/// </remarks>
public sealed class WriteEnginePackageFiles : Task
{
    /// <summary>The name of the attribute the generator stamps, once per engine.</summary>
    public const string ManifestAttributeNamespace = "CompactMemory";

    /// <summary>The type name of the attribute the generator stamps.</summary>
    public const string ManifestAttributeName = "EnginePackageManifestAttribute";

    /// <summary>The manifest file name.</summary>
    public const string ManifestFileName = "engine_package.yaml";

    /// <summary>The tool schemas file name.</summary>
    public const string ToolsFileName = "tools.json";

    /// <summary>The readme file name.</summary>
    public const string ReadmeFileName = "README.md";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The built engine assembly (the intermediate assembly, so <c>dotnet pack --no-build</c> works too).</summary>
    [Required]
    public string AssemblyPath { get; set; } = string.Empty;

    /// <summary>The folder the files are written to, <c>$(IntermediateOutputPath)compactmemory/</c>.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>The engine to package when the assembly defines several (<c>CompactMemoryPackageEngineId</c>).</summary>
    public string? EngineId { get; set; }

    /// <summary>
    /// Also write a <c>README.md</c> made from the manifest (display name, description, id, version), for a project
    /// that has none of its own: a package on a feed and a plugin folder always explain themselves.
    /// </summary>
    public bool WriteReadme { get; set; }

    /// <summary>The project file, so errors point at it.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>The files written: <c>engine_package.yaml</c>, <c>tools.json</c> (and <c>README.md</c> with <see cref="WriteReadme"/>), each with <c>EngineId</c> metadata; empty without an engine.</summary>
    [Output]
    public ITaskItem[] PackageFiles { get; set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var project = string.IsNullOrEmpty(ProjectFile) ? "the project" : Path.GetFileName(ProjectFile);
        var assemblyName = Path.GetFileName(AssemblyPath);
        if (!File.Exists(AssemblyPath))
        {
            Error("CMSDK005", $"The engine assembly '{AssemblyPath}' does not exist, so its engine_package.yaml cannot be written. Build {project} in this configuration first (dotnet pack builds Release by default: pass the same -c to build and to pack --no-build), or pack without --no-build.");
            return false;
        }

        List<EngineEntry> engines;
        List<string> engineClasses;
        try
        {
            (engines, engineClasses) = Read(AssemblyPath);
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
        {
            Error("CMSDK005", $"{assemblyName} could not be read as a .NET assembly ({ex.Message}), so its engine_package.yaml cannot be written; rebuild {project} (dotnet build --no-incremental).");
            return false;
        }

        if (engines.Count == 0)
        {
            DeleteStaleFiles();
            if (engineClasses.Count > 0)
            {
                Error("CMSDK004", $"{assemblyName} has [CompressionEngine] classes ({string.Join(", ", engineClasses)}) but no generated engine manifest: the CompactMemory generator did not run or could not use them. " +
                    "Reference CompactMemory.Sdk (it delivers the generator as an analyzer; a ProjectReference to the generator needs OutputItemType=\"Analyzer\"), build with the .NET 8 SDK (Roslyn 4.8) or newer, and fix any CM diagnostics on those classes.");
                return false;
            }

            Log.LogMessage(MessageImportance.Low, "{0} defines no CompactMemory engine; no engine_package.yaml is written.", assemblyName);
            return true;
        }

        var duplicate = engines.GroupBy(e => e.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            Error("CMSDK006", $"{assemblyName} declares the engine id '{duplicate.Key}' more than once; give each [CompressionEngine] class of {project} its own id.");
            return false;
        }

        var ids = string.Join(", ", engines.Select(e => e.Id).OrderBy(id => id, StringComparer.Ordinal));
        EngineEntry chosen;
        if (!string.IsNullOrWhiteSpace(EngineId))
        {
            var wanted = EngineId!.Trim();
            var match = engines.FirstOrDefault(e => string.Equals(e.Id, wanted, StringComparison.Ordinal));
            if (match is null)
            {
                Error("CMSDK003", $"CompactMemoryPackageEngineId is '{wanted}', but {assemblyName} defines no engine with that id; its engines are: {ids}. Set CompactMemoryPackageEngineId to one of them.");
                return false;
            }

            chosen = match;
        }
        else if (engines.Count > 1)
        {
            var first = engines.Select(e => e.Id).OrderBy(id => id, StringComparer.Ordinal).First();
            Error("CMSDK002", $"{project} defines several engines ({ids}) but an engine package holds one. Set the MSBuild property CompactMemoryPackageEngineId to the id to package, for example <CompactMemoryPackageEngineId>{first}</CompactMemoryPackageEngineId> in {project}.");
            return false;
        }
        else
        {
            chosen = engines[0];
        }

        Directory.CreateDirectory(OutputDirectory);
        var manifestPath = Path.GetFullPath(Path.Combine(OutputDirectory, ManifestFileName));
        var toolsPath = Path.GetFullPath(Path.Combine(OutputDirectory, ToolsFileName));
        var readmePath = Path.GetFullPath(Path.Combine(OutputDirectory, ReadmeFileName));
        WriteIfChanged(manifestPath, chosen.ManifestYaml);
        WriteIfChanged(toolsPath, chosen.ToolsJson);
        if (WriteReadme)
        {
            WriteIfChanged(readmePath, ManifestReadme.Write(chosen.Id, chosen.ManifestYaml));
            PackageFiles = [Item(manifestPath, chosen.Id), Item(toolsPath, chosen.Id), Item(readmePath, chosen.Id)];
        }
        else
        {
            DeleteIfExists(readmePath);
            PackageFiles = [Item(manifestPath, chosen.Id), Item(toolsPath, chosen.Id)];
        }

        Log.LogMessage(MessageImportance.Normal, "Engine package files of '{0}' read from {1}: {2}, {3}.", chosen.Id, assemblyName, manifestPath, toolsPath);
        return true;
    }

    /// <summary>Reads the manifest attributes of an assembly and, for diagnostics, its [CompressionEngine] classes.</summary>
    /// <param name="path">The assembly.</param>
    /// <returns>The stamped engines in metadata order, and the engine classes (only looked for when no engine is stamped).</returns>
    internal static (List<EngineEntry> Engines, List<string> EngineClasses) Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException("the file has no .NET metadata");
        }

        var reader = pe.GetMetadataReader();
        if (!reader.IsAssembly)
        {
            throw new BadImageFormatException("the file is a module, not an assembly");
        }

        var engines = new List<EngineEntry>();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (!IsAttribute(reader, attribute, ManifestAttributeNamespace, ManifestAttributeName))
            {
                continue;
            }

            // Decoding the value blob against the constructor signature checks it is (string, string, string).
            var value = attribute.DecodeValue(NameTypeProvider.Instance);
            if (value.FixedArguments.Length != 3 || value.FixedArguments.Any(a => a.Type != "String" || a.Value is not string))
            {
                throw new BadImageFormatException(ManifestAttributeName + " does not have the (engineId, manifestYaml, toolsJson) string arguments this SDK writes; the assembly and CompactMemory.Sdk versions do not match");
            }

            engines.Add(new EngineEntry((string)value.FixedArguments[0].Value!, (string)value.FixedArguments[1].Value!, (string)value.FixedArguments[2].Value!));
        }

        var classes = new List<string>();
        if (engines.Count == 0)
        {
            foreach (var typeHandle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(typeHandle);
                if (type.GetCustomAttributes().Any(h => IsAttribute(reader, reader.GetCustomAttribute(h), "CompactMemory", "CompressionEngineAttribute")))
                {
                    var ns = reader.GetString(type.Namespace);
                    classes.Add(ns.Length == 0 ? reader.GetString(type.Name) : ns + "." + reader.GetString(type.Name));
                }
            }
        }

        return (engines, classes);
    }

    private static bool IsAttribute(MetadataReader reader, CustomAttribute attribute, string ns, string name)
    {
        EntityHandle type;
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MemberReference:
                type = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                break;
            case HandleKind.MethodDefinition:
                type = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
                break;
            default:
                return false;
        }

        switch (type.Kind)
        {
            case HandleKind.TypeReference:
                var reference = reader.GetTypeReference((TypeReferenceHandle)type);
                return reader.StringComparer.Equals(reference.Name, name) && reader.StringComparer.Equals(reference.Namespace, ns);
            case HandleKind.TypeDefinition:
                var definition = reader.GetTypeDefinition((TypeDefinitionHandle)type);
                return reader.StringComparer.Equals(definition.Name, name) && reader.StringComparer.Equals(definition.Namespace, ns);
            default:
                return false;
        }
    }

    private void DeleteStaleFiles()
    {
        foreach (var name in new[] { ManifestFileName, ToolsFileName, ReadmeFileName })
        {
            DeleteIfExists(Path.Combine(OutputDirectory, name));
        }
    }

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static void WriteIfChanged(string path, string text)
    {
        var bytes = Utf8NoBom.GetBytes(text);
        if (File.Exists(path) && File.ReadAllBytes(path).SequenceEqual(bytes))
        {
            return; // keep the timestamp, so copies and packs downstream stay incremental
        }

        File.WriteAllBytes(path, bytes);
    }

    private static TaskItem Item(string path, string engineId)
    {
        var item = new TaskItem(path);
        item.SetMetadata("EngineId", engineId);
        return item;
    }

    private void Error(string code, string message) =>
        Log.LogError(subcategory: null, errorCode: code, helpKeyword: null, file: ProjectFile, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: message);

    /// <summary>One engine stamped on the assembly.</summary>
    internal sealed class EngineEntry(string id, string manifestYaml, string toolsJson)
    {
        public string Id { get; } = id;

        public string ManifestYaml { get; } = manifestYaml;

        public string ToolsJson { get; } = toolsJson;
    }

    /// <summary>Names types by their full name: enough to decode string arguments and to recognise anything else.</summary>
    private sealed class NameTypeProvider : ICustomAttributeTypeProvider<string>
    {
        public static readonly NameTypeProvider Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeDefinition(handle);
            return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeReference(handle);
            return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
        }

        public string GetTypeFromSerializedName(string name) => name;

        // The manifest attribute has no enum parameters; an enum here means a different attribute shape.
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => throw new BadImageFormatException("unexpected enum argument of type " + type);

        public bool IsSystemType(string type) => string.Equals(type, "System.Type", StringComparison.Ordinal);
    }
}
