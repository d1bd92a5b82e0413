using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Registry;
using CsCheck;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Registry;

/// <summary>
/// Registering a catalog is all-or-nothing per entry: every entry is checked first, good ones are registered, bad
/// ones are listed as failed with their error, and nothing of a catalog throws.
/// </summary>
public sealed class CatalogRegistrationTests
{
    private sealed class TextEngine(string id) : CompressionEngine
    {
        public override string Id => id;

        public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(id + ":" + text) { EngineId = id };
    }

    private sealed class ChatEngine : ContextEngine
    {
        public override string Name => "chat";

        protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
            IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
            => Task.FromResult(messages);
    }

    /// <summary>A catalog over any list; the list decides how hostile it is.</summary>
    private sealed class ListCatalog(IReadOnlyList<EngineDescriptor> engines) : EngineCatalog
    {
        public override IReadOnlyList<EngineDescriptor> Engines => engines;
    }

    private sealed class ThrowingCatalog : EngineCatalog
    {
        public override IReadOnlyList<EngineDescriptor> Engines => throw new InvalidOperationException("catalog exploded");
    }

    private sealed class NullCatalog : EngineCatalog
    {
        public override IReadOnlyList<EngineDescriptor> Engines => null!;
    }

    private sealed class StaticConstructorCatalog : EngineCatalog
    {
        private static readonly EngineDescriptor[] All = Build();

        public override IReadOnlyList<EngineDescriptor> Engines => All;

        private static EngineDescriptor[] Build() => throw new FileNotFoundException(
            "Could not load file or assembly 'Acme.Tokenizers, Version=3.1.0.0, Culture=neutral, PublicKeyToken=null'.",
            "Acme.Tokenizers, Version=3.1.0.0, Culture=neutral, PublicKeyToken=null");
    }

    /// <summary>Lists its entries, then throws when enumeration reaches <c>throwAt</c> (or never, when it is negative).</summary>
    private sealed class BreakingList(IReadOnlyList<EngineDescriptor> items, int throwAt) : IReadOnlyList<EngineDescriptor>
    {
        public int Count => items.Count;

        public EngineDescriptor this[int index] => items[index];

        public IEnumerator<EngineDescriptor> GetEnumerator()
        {
            for (var index = 0; index < items.Count; index++)
            {
                if (index == throwAt)
                {
                    throw new InvalidOperationException("list broke at " + index);
                }

                yield return items[index];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>An engine list that never ends.</summary>
    private sealed class EndlessList : IReadOnlyList<EngineDescriptor>
    {
        public int Count => int.MaxValue;

        public EngineDescriptor this[int index] => Good("endless");

        public IEnumerator<EngineDescriptor> GetEnumerator()
        {
            while (true)
            {
                yield return Good("endless");
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static EngineDescriptor Good(string id) => new(id, EngineKind.Compression, typeof(TextEngine), _ => new TextEngine(id));

    private static EngineDescriptor GoodContext(string id) => new(id, EngineKind.Context, typeof(ChatEngine), _ => new ChatEngine());

    /// <summary>What hostile or older code can produce despite the constructor's checks: a member set to null after construction.</summary>
    private static EngineDescriptor WithNull(EngineDescriptor descriptor, string property)
    {
        var field = typeof(EngineDescriptor).GetField("<" + property + ">k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var copy = descriptor with { };
        field.SetValue(copy, null);
        return copy;
    }

    private static string CatalogName<T>() => typeof(T).FullName!;

    [Fact]
    public void A_bad_entry_in_the_middle_no_longer_loses_the_entries_after_it()
    {
        var registry = new EngineRegistry();
        var catalog = new ListCatalog([Good("before"), new EngineDescriptor("not_engine", EngineKind.Compression, typeof(string), _ => "x"), Good("after")]);

        var result = registry.Register(catalog);

        Assert.Equal(["after", "before"], registry.Ids);
        Assert.Equal("after:x", registry.CreateCompressionEngine("after").Compress("x", 5).Text);
        Assert.False(result.Succeeded);
        Assert.Equal(["before", "after"], result.Registered.Select(r => r.Id).ToArray());
        var failure = Assert.Single(registry.Failures);
        Assert.Same(failure, Assert.Single(result.Failed));
        Assert.Equal("not_engine", failure.Id);
        Assert.Equal(EngineStatus.Failed, failure.Status);
        Assert.Equal(EngineSource.FromPackage("CompactMemory.Tests"), failure.Source);
        Assert.Equal(
            [$"entry 1 of engine catalog '{CatalogName<ListCatalog>()}': engine 'not_engine' is declared as a compression engine, but System.String does not derive from "
                + "CompactMemory.Compression.CompressionEngine; derive it from CompressionEngine, or declare it as EngineKind.Context if it is a context engine"],
            failure.Errors);
        Assert.Contains(registry.List(), row => row.Id == "not_engine" && row.Status == EngineStatus.Failed && row.StatusText.StartsWith("Failed: entry 1 of engine catalog", StringComparison.Ordinal));
    }

    public static TheoryData<string, EngineDescriptor?, string, string> BadEntries() => new()
    {
        { "null entry", null, "[0]", "the entry is null; remove it, or put an EngineDescriptor there" },
        { "empty id", new EngineDescriptor("", EngineKind.Compression, typeof(TextEngine), _ => new TextEngine("")), "[0]",
            "engine class CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine has an empty id; give it an id such as 'my_engine' in [CompressionEngine(\"my_engine\")]" },
        { "blank id", Good("   "), "[0]",
            "engine class CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine has an empty id; give it an id such as 'my_engine' in [CompressionEngine(\"my_engine\")]" },
        { "null id", WithNull(Good("x"), "Id"), "[0]",
            "engine class CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine has no id; give it an id such as 'my_engine' in [CompressionEngine(\"my_engine\")]" },
        { "id with a space", Good("My Engine"), "My Engine",
            "engine id 'My Engine' (CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine) contains whitespace or control characters; ids are typed on command lines, so use 'my_engine'" },
        { "id with a control character", Good("bell\u0007"), "[0]",
            "engine id 'bell\\u0007' (CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine) contains whitespace or control characters; ids are typed on command lines, so use 'bell'" },
        { "no class", WithNull(Good("typeless"), "EngineType"), "typeless", "engine 'typeless' has no engine class; give its descriptor the engine's Type" },
        { "undefined kind", new EngineDescriptor("odd", (EngineKind)7, typeof(TextEngine), _ => new TextEngine("odd")), "odd",
            "engine 'odd' (CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine) has kind 7, which is neither EngineKind.Compression nor EngineKind.Context" },
        { "context class declared as compression", new EngineDescriptor("ctx", EngineKind.Compression, typeof(ChatEngine), _ => new ChatEngine()), "ctx",
            "engine 'ctx' is declared as a compression engine, but CompactMemory.Tests.Registry.CatalogRegistrationTests+ChatEngine does not derive from CompactMemory.Compression.CompressionEngine; "
            + "derive it from CompressionEngine, or declare it as EngineKind.Context if it is a context engine" },
        { "compression class declared as context", new EngineDescriptor("text", EngineKind.Context, typeof(FirstLastEngine), _ => new FirstLastEngine()), "text",
            "engine 'text' is declared as a context engine, but CompactMemory.BuiltIn.FirstLastEngine does not implement CompactMemory.Context.IContextEngine; "
            + "derive it from ContextEngine, or declare it as EngineKind.Compression if it is a compression engine" },
        { "no factory", WithNull(Good("factoryless"), "Factory"), "factoryless",
            "engine 'factoryless' (CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine) has no factory; give its descriptor a function that creates the engine" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void Each_kind_of_bad_entry_is_listed_with_its_error_and_the_good_entry_beside_it_registers(string kind, EngineDescriptor? bad, string listedId, string error)
    {
        var registry = new EngineRegistry();

        var result = registry.Register(new ListCatalog([bad!, Good("fine")]));

        Assert.True(registry.TryGet("fine", out _), kind);
        var failure = Assert.Single(result.Failed);
        Assert.Equal(listedId.StartsWith('[') ? CatalogName<ListCatalog>() + listedId : listedId, failure.Id);
        Assert.Equal([$"entry 0 of engine catalog '{CatalogName<ListCatalog>()}': {error}"], failure.Errors);
        Assert.Equal(["fine"], registry.Ids);
    }

    [Fact]
    public void Entries_sharing_an_id_are_all_refused_and_named()
    {
        var registry = new EngineRegistry();

        var result = registry.Register(new ListCatalog([Good("twin"), Good("solo"), GoodContext("twin")]));

        Assert.Equal(["solo"], registry.Ids);
        Assert.Equal(["twin", "twin"], result.Failed.Select(f => f.Id).ToArray());
        const string Users = "entry 0: CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine and entry 2: CompactMemory.Tests.Registry.CatalogRegistrationTests+ChatEngine";
        Assert.Equal(
            $"entry 2 of engine catalog '{CatalogName<ListCatalog>()}': engine id 'twin' is used by 2 entries of the catalog ({Users}); ids must be unique, so give each engine its own id",
            result.Failed[1].Errors.Single());
    }

    [Fact]
    public void A_catalog_whose_engine_list_throws_is_one_failed_row_named_after_the_catalog()
    {
        var registry = new EngineRegistry();

        var result = registry.Register(new ThrowingCatalog());

        var failure = Assert.Single(result.Failed);
        Assert.Equal(CatalogName<ThrowingCatalog>(), failure.Id);
        Assert.Equal([$"engine catalog '{CatalogName<ThrowingCatalog>()}' could not be read: InvalidOperationException: catalog exploded"], failure.Errors);
        Assert.Equal(failure, Assert.Single(registry.List()));
        Assert.Empty(registry.Ids);
    }

    [Fact]
    public void A_catalog_whose_static_constructor_throws_names_what_it_threw_not_the_type_initializer()
    {
        var registry = new EngineRegistry();

        var result = registry.Register(new StaticConstructorCatalog());

        var error = Assert.Single(Assert.Single(result.Failed).Errors);
        Assert.Equal(
            $"engine catalog '{CatalogName<StaticConstructorCatalog>()}' could not be read: the static constructor of '{nameof(StaticConstructorCatalog)}' failed: "
            + "the assembly 'Acme.Tokenizers, Version=3.1.0.0' could not be found; add Acme.Tokenizers.dll to the application (reference the package that provides it)",
            error);
    }

    [Fact]
    public void A_catalog_returning_no_list_is_told_to_return_an_empty_one()
    {
        var result = new EngineRegistry().Register(new NullCatalog());

        Assert.Equal(
            [$"engine catalog '{CatalogName<NullCatalog>()}' returned null from Engines; return an empty list when it has no engines"],
            Assert.Single(result.Failed).Errors);
    }

    [Fact]
    public void When_the_list_breaks_part_way_the_entries_before_are_registered_and_the_break_is_listed()
    {
        var registry = new EngineRegistry();

        var result = registry.Register(new ListCatalog(new BreakingList([Good("one"), Good("two"), Good("three")], throwAt: 2)));

        Assert.Equal(["one", "two"], registry.Ids);
        Assert.Equal(
            [$"engine catalog '{CatalogName<ListCatalog>()}' could not be read completely: its engine list failed after 2 entries: InvalidOperationException: list broke at 2; "
                + "the entries before that point were checked, and the good ones registered"],
            Assert.Single(result.Failed).Errors);
    }

    [Fact]
    public void An_endless_engine_list_is_refused_whole_instead_of_hanging()
    {
        var registry = new EngineRegistry();
        var clock = Stopwatch.StartNew();

        var result = registry.Register(new ListCatalog(new EndlessList()));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "reading stopped at the limit");
        Assert.Empty(result.Registered);
        Assert.Empty(registry.Ids);
        Assert.Equal([$"engine catalog '{CatalogName<ListCatalog>()}' lists more than 100,000 engines; none of them was registered"], Assert.Single(result.Failed).Errors);
    }

    [Fact]
    public void CreateDefault_lists_a_broken_self_registered_catalog_instead_of_throwing_at_start_up()
    {
        EngineCatalogs.Register(new ThrowingCatalog());

        var registry = EngineRegistry.CreateDefault([]);

        Assert.Equal(["first_last", "none", "pipeline", "stopword_pruner"], registry.Ids);
        Assert.Contains(registry.Failures, f => f.Id == CatalogName<ThrowingCatalog>() && f.Errors.Single().EndsWith("InvalidOperationException: catalog exploded", StringComparison.Ordinal));
    }

    [Fact]
    public void Flatten_skips_what_it_cannot_read_instead_of_breaking_the_class_that_calls_it()
    {
        var engines = EngineCatalogs.Flatten([new ThrowingCatalog(), new NullCatalog(), new ListCatalog([Good("a"), null!, Good("b")]), null!, new ListCatalog(new EndlessList())]);

        Assert.Equal(["a", "b"], engines.Select(e => e.Id).ToArray());
    }

    [Fact]
    public void A_single_bad_descriptor_is_still_an_argument_error_with_the_same_sentence()
    {
        var error = Assert.Throws<ArgumentException>(() => new EngineRegistry().Register(Good("two words"), EngineSource.BuiltIn));

        Assert.StartsWith("Engine id 'two words' (CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine) contains whitespace", error.Message, StringComparison.Ordinal);
        Assert.Equal("descriptor", error.ParamName);
    }

    [Fact]
    public void A_factory_returning_the_wrong_kind_is_an_engine_error_not_an_invalid_cast()
    {
        var registry = new EngineRegistry();
        registry.Register(new EngineDescriptor("liar", EngineKind.Compression, typeof(TextEngine), _ => "not an engine"), EngineSource.FromPackage("Acme"));

        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("liar"));

        Assert.Equal(
            "Engine 'liar' (plugin (Acme)): its factory did not return a CompressionEngine; return an instance of CompactMemory.Tests.Registry.CatalogRegistrationTests+TextEngine.",
            error.Message);
    }

    private sealed class StaticBoomEngine : CompressionEngine
    {
        static StaticBoomEngine()
        {
            throw new InvalidOperationException("vocabulary missing");
        }

        public override string Id => "static_boom";

        public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
    }

    /// <remarks>The runtime names a nested class by its simple name in a <see cref="TypeInitializationException"/>; a top-level one by its full name.</remarks>
    [Fact]
    public void A_static_constructor_failure_at_creation_names_the_class_and_what_it_threw()
    {
        var registry = new EngineRegistry();
        registry.Register(new EngineDescriptor("static_boom", EngineKind.Compression, typeof(StaticBoomEngine), _ => new StaticBoomEngine()), EngineSource.FromPackage("Acme"));

        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("static_boom"));

        Assert.Equal(
            "Engine 'static_boom' (plugin (Acme)) could not be created: the static constructor of 'StaticBoomEngine' "
            + "threw InvalidOperationException: vocabulary missing",
            error.Message);
        Assert.IsType<TypeInitializationException>(error.InnerException);
    }

    [Fact]
    public void A_configuration_error_from_a_plugin_factory_stays_a_configuration_error_and_names_the_engine()
    {
        var registry = new EngineRegistry();
        registry.Register(
            new EngineDescriptor("picky", EngineKind.Compression, typeof(TextEngine), _ => throw new ConfigurationException("'model' is required")),
            EngineSource.FromPackage("Acme"));

        var error = Assert.Throws<ConfigurationException>(() => registry.CreateCompressionEngine("picky"));

        Assert.Equal("Engine 'picky' (plugin (Acme)) could not be created: 'model' is required", error.Message);
    }

    /// <summary>One generated catalog entry: what it is, and the id it carries.</summary>
    public enum Shape
    {
        Good,
        GoodContext,
        Null,
        EmptyId,
        SpacedId,
        NotAnEngine,
        WrongKind,
        UndefinedKind,
        NoFactory,
    }

    private static EngineDescriptor? Build(Shape shape, string id) => shape switch
    {
        Shape.Good => Good(id),
        Shape.GoodContext => GoodContext(id),
        Shape.Null => null,
        Shape.EmptyId => Good(string.Empty),
        Shape.SpacedId => Good(id + " x"),
        Shape.NotAnEngine => new EngineDescriptor(id, EngineKind.Compression, typeof(Uri), _ => new Uri("http://x")),
        Shape.WrongKind => new EngineDescriptor(id, EngineKind.Context, typeof(TextEngine), _ => new TextEngine(id)),
        Shape.UndefinedKind => new EngineDescriptor(id, (EngineKind)42, typeof(TextEngine), _ => new TextEngine(id)),
        _ => WithNull(Good(id), "Factory"),
    };

    [Fact]
    public void Random_catalogs_mixing_good_and_bad_entries_register_every_good_entry_and_list_every_bad_one()
    {
        var entry = Gen.Select(Gen.Frequency((4, Gen.Const(Shape.Good)), (1, Gen.Const(Shape.GoodContext)), (4, Gen.Enum<Shape>())), Gen.Int[0, 7], (shape, n) => (shape, id: "e" + n));
        var catalogs = Gen.Select(entry.Array[0, 14], Gen.Int[-1, 16]);

        catalogs.Sample(
            (entries, throwAt) =>
            {
                var descriptors = entries.Select(e => Build(e.shape, e.id)!).ToArray();
                var registry = new EngineRegistry();

                var result = registry.Register(new ListCatalog(new BreakingList(descriptors, throwAt)));

                // The model: entries read before a break, bad shapes refused, then ids shared by good shapes refused.
                var read = throwAt >= 0 && throwAt < entries.Length ? entries.Take(throwAt).ToArray() : entries;
                var goodShape = read.Select(e => e.shape is Shape.Good or Shape.GoodContext).ToArray();
                var goodIds = read.Where((e, i) => goodShape[i]).GroupBy(e => e.id).ToDictionary(g => g.Key, g => g.Count());
                var expected = read.Select((e, i) => goodShape[i] && goodIds[e.id] == 1).ToArray();

                Assert.Equal(read.Where((e, i) => expected[i]).Select(e => e.id).ToArray(), result.Registered.Select(r => r.Id).ToArray());
                foreach (var (e, i) in read.Select((e, i) => (e, i)).Where(p => expected[p.i]))
                {
                    Assert.True(registry.TryGet(e.id, out var found));
                    Assert.Same(descriptors[i], found.Descriptor);
                    object created = e.shape == Shape.Good ? registry.CreateCompressionEngine(e.id) : registry.CreateContextEngine(e.id);
                    Assert.NotNull(created);
                }

                var refused = read.Select((e, i) => (e, i)).Where(p => !expected[p.i]).ToArray();
                var broke = read.Length < entries.Length;
                Assert.Equal(refused.Length + (broke ? 1 : 0), result.Failed.Count);
                Assert.Equal(result.Failed, registry.Failures);
                foreach (var ((e, i), row) in refused.Zip(result.Failed))
                {
                    Assert.Equal(EngineStatus.Failed, row.Status);
                    var error = Assert.Single(row.Errors);
                    Assert.StartsWith($"entry {i} of engine catalog '{CatalogName<ListCatalog>()}': ", error, StringComparison.Ordinal);
                    var namesIt = e.shape is Shape.Null or Shape.EmptyId
                        ? row.Id == CatalogName<ListCatalog>() + "[" + i + "]"
                        : error.Contains("'" + e.id, StringComparison.Ordinal) && row.Id.StartsWith(e.id, StringComparison.Ordinal);
                    Assert.True(namesIt, $"entry {i} ({e.shape}) is listed as '{row.Id}': {error}");
                }

                if (broke)
                {
                    Assert.Equal(CatalogName<ListCatalog>(), result.Failed[^1].Id);
                    Assert.Contains($"failed after {throwAt} ", result.Failed[^1].Errors.Single(), StringComparison.Ordinal);
                }

                Assert.Equal(result.Failed.Count, registry.List().Count(row => row.Status == EngineStatus.Failed));
            },
            seed: "0N0XIzNsQ0O2",
            iter: 400,
            threads: 1);
    }
}
