using System;
using System.Collections.Generic;
using System.Threading;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Generators.Tools;

/// <summary>
/// A tool method's parameters and result, read the way the dispatch passes and returns them. The generator builds its
/// tool models from it and analyzer CM0014 reports its <see cref="Problem"/>, so the rule and the generator agree on
/// exactly which signatures can be described.
/// </summary>
internal sealed class ToolSignature
{
    /// <summary>What an author may use, as CM0014 lists it.</summary>
    public const string SupportedTypes =
        "string, bool, char, integer and floating-point numbers, decimal, DateTime, DateTimeOffset, TimeSpan, Guid, Uri, enums, "
        + "arrays and lists of these, or classes and records of these with public properties (and CancellationToken or "
        + "ToolCallContext parameters; void, Task or ValueTask results)";

    private ToolSignature(EquatableArray<ToolParameterModel> parameters, ToolReturnModel? result, ToolSignatureProblem? problem)
    {
        Parameters = parameters;
        Return = result;
        Problem = problem;
    }

    /// <summary>The parameters: all of them when they could be read (even if the result could not), else none.</summary>
    public EquatableArray<ToolParameterModel> Parameters { get; }

    /// <summary>The result, or null when the signature is unsupported.</summary>
    public ToolReturnModel? Return { get; }

    /// <summary>The first part of the signature that cannot be described, or null.</summary>
    public ToolSignatureProblem? Problem { get; }

    /// <summary>Reads the signature of a tool method.</summary>
    public static ToolSignature Read(IMethodSymbol method, ToolTypeReader reader, ToolTypeReader resultReader, CancellationToken cancellationToken)
    {
        var parameters = new List<ToolParameterModel>();
        if (method.IsGenericMethod)
        {
            return Refused(parameters, null, $"'{method.Name}' is generic, and a type parameter has no schema until the method is called", method.TypeParameters[0].Name);
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return Refused(parameters, null, "the method returns by reference", Display(method.ReturnType));
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            return Refused(parameters, null, "an async void method cannot be awaited; return Task", "void");
        }

        foreach (var parameter in method.Parameters)
        {
            var model = ReadParameter(method, parameter, reader, cancellationToken, out var why);
            if (model is null)
            {
                // As before the result is read: an unsupported parameter leaves the tool without parameters.
                return Refused(new List<ToolParameterModel>(), parameter, why, Display(parameter.Type));
            }

            parameters.Add(model);
        }

        var result = ReadReturn(method.ReturnType, resultReader);
        return result is null
            ? Refused(parameters, null, resultReader.Problem ?? $"'{Display(method.ReturnType)}' is not a supported type", Display(method.ReturnType))
            : new ToolSignature(parameters.ToEquatableArray(), result, null);
    }

    private static ToolSignature Refused(List<ToolParameterModel> parameters, IParameterSymbol? parameter, string reason, string typeName) =>
        new(parameters.ToEquatableArray(), null, new ToolSignatureProblem(parameter, typeName, reason));

    private static ToolParameterModel? ReadParameter(IMethodSymbol method, IParameterSymbol parameter, ToolTypeReader reader, CancellationToken cancellationToken, out string why)
    {
        why = string.Empty;
        if (parameter.RefKind != RefKind.None)
        {
            why = $"'{parameter.Name}' is a ref, out or in parameter";
            return null;
        }

        var typeName = KnownSymbols.FullName(parameter.Type);
        if (string.Equals(typeName, KnownSymbols.CancellationToken, StringComparison.Ordinal))
        {
            return new ToolParameterModel { Name = parameter.Name, Kind = ToolParameterKind.CancellationToken };
        }

        if (string.Equals(typeName, KnownSymbols.ToolCallContext, StringComparison.Ordinal))
        {
            return new ToolParameterModel { Name = parameter.Name, Kind = ToolParameterKind.Context };
        }

        var nullableParameter = parameter.Type.IsReferenceType && parameter.Type.NullableAnnotation == NullableAnnotation.Annotated;
        var type = reader.Read(parameter.Type, ToolPosition.Parameter, nullableParameter);
        if (type is null)
        {
            why = reader.Problem ?? $"'{Display(parameter.Type)}' is not a supported type";
            return null;
        }

        string? defaultJson = null, defaultExpression = null;
        if ((parameter.HasExplicitDefaultValue || parameter.IsOptional) && !ToolDefaults.TryCreate(parameter, type, out defaultJson, out defaultExpression))
        {
            why = $"the default value of '{parameter.Name}' cannot be written as JSON (NaN and infinities have no JSON number)";
            return null;
        }

        return new ToolParameterModel
        {
            Name = parameter.Name,
            Kind = ToolParameterKind.Argument,
            Type = type,
            IsRequired = defaultExpression is null,
            DefaultJson = defaultJson,
            DefaultExpression = defaultExpression,

            // Microsoft.Extensions.AI: the parameter's [Description], else its type's; the XML <param> only where it has none.
            Description = KnownSymbols.Description(parameter) ?? type.TypeDescription ?? DocumentationComments.Parameter(method, parameter.Name, cancellationToken),
        };
    }

    private static ToolReturnModel? ReadReturn(ITypeSymbol returnType, ToolTypeReader reader)
    {
        var awaitKind = ToolAwaitKind.None;
        var valueType = returnType;
        if (returnType is INamedTypeSymbol named)
        {
            var name = KnownSymbols.FullName(named);
            if (string.Equals(name, "System.Threading.Tasks.Task", StringComparison.Ordinal))
            {
                awaitKind = ToolAwaitKind.Task;
            }
            else if (string.Equals(name, "System.Threading.Tasks.ValueTask", StringComparison.Ordinal))
            {
                awaitKind = ToolAwaitKind.ValueTask;
            }

            if (awaitKind != ToolAwaitKind.None)
            {
                if (named.TypeArguments.Length == 0)
                {
                    return new ToolReturnModel { Kind = ToolReturnKind.Void, Await = awaitKind };
                }

                valueType = named.TypeArguments[0];
            }
        }

        if (valueType.SpecialType == SpecialType.System_Void)
        {
            return new ToolReturnModel { Kind = ToolReturnKind.Void, Await = awaitKind };
        }

        if (valueType.SpecialType == SpecialType.System_String)
        {
            return new ToolReturnModel { Kind = ToolReturnKind.String, Await = awaitKind };
        }

        var type = reader.Read(valueType, ToolPosition.Return, nullableParameter: false);
        return type is null ? null : new ToolReturnModel { Kind = ToolReturnKind.Value, Await = awaitKind, Type = type };
    }

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}

/// <summary>Why a tool signature cannot be described: the parameter (null for the method or its result), the type as written, and the reason.</summary>
internal sealed class ToolSignatureProblem
{
    public ToolSignatureProblem(IParameterSymbol? parameter, string typeName, string reason)
    {
        Parameter = parameter;
        TypeName = typeName;
        Reason = reason;
    }

    /// <summary>The refused parameter, or null when the method itself or its result is refused.</summary>
    public IParameterSymbol? Parameter { get; }

    /// <summary>The type as the author wrote it (C# display).</summary>
    public string TypeName { get; }

    /// <summary>What cannot be described, innermost first.</summary>
    public string Reason { get; }
}
