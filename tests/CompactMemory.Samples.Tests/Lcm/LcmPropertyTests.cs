using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Context;
using CompactMemory.Samples.Lcm;
using CompactMemory.Testing;
using CsCheck;
using Microsoft.Extensions.AI;
using Xunit;
using static CompactMemory.Samples.Tests.Lcm.LcmTestKit;

namespace CompactMemory.Samples.Tests.Lcm;

/// <summary>
/// Generated conversations (system prompts, parallel tool calls in any result order, chained tool turns, list and
/// null results, repeated messages, arbitrary Unicode) compacted three times as they grow, with random head and tail
/// protection, from a fixed seed. After every compaction the structural invariants hold, and at the end every message
/// ever sent is in the output or comes back, exactly, from lcm_expand by an id the summary lists.
/// </summary>
public sealed class LcmPropertyTests : IDisposable
{
    private const string Seed = "0N0XIzNsQ0O2";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>One exchange: what the user says, and how the assistant answers.</summary>
    private sealed record Turn(string UserText, int Kind, int Calls, bool Reversed, int ResultShape, string AnswerText);

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.Const("yes"),
        Gen.Const("ok, go on"),
        Gen.Int[0, 40].Select(i => $"fact-{i} about the project"),
        Gen.String[0, 30],
        Gen.Char.Array[0, 12].Select(chars => new string(chars)));

    private static readonly Gen<Turn> TurnGen =
        Gen.Select(Text, Gen.Int[0, 2], Gen.Int[1, 3], Gen.Bool, Gen.Int[0, 3], Text)
            .Select((user, kind, calls, reversed, shape, answer) => new Turn(user, kind, calls, reversed, shape, answer));

    private static List<ChatMessage> Build(IEnumerable<Turn> turns, ref int callCounter)
    {
        var messages = new List<ChatMessage>();
        foreach (var turn in turns)
        {
            messages.Add(User(turn.UserText));
            for (var round = 0; round < turn.Kind; round++)
            {
                var ids = new List<string>();
                for (var c = 0; c < turn.Calls; c++)
                {
                    ids.Add("call_" + callCounter++);
                }

                messages.Add(Calls(round == 0 ? null : "continuing", [.. ids.Select(id => (id, "tool_" + (id.Length % 3), $$"""{"q":"{{id}}"}"""))]));
                foreach (var id in turn.Reversed ? Enumerable.Reverse(ids) : ids)
                {
                    object? result = turn.ResultShape switch
                    {
                        0 => "result of " + id,
                        1 => null,
                        2 => new List<AIContent> { new TextContent("list result " + id), new TextContent(turn.AnswerText) },
                        _ => string.Concat(Enumerable.Repeat("long output " + id + " ", 50)),
                    };
                    messages.Add(Result(id, result));
                }
            }

            messages.Add(Assistant(turn.AnswerText));
        }

        return messages;
    }

    [Fact]
    public async Task No_message_is_ever_lost_and_every_compaction_keeps_the_invariants()
    {
        var path = _temp.Combine("property.db");
        var caseNumber = 0;
        var compactions = 0;
        var gen = Gen.Select(Gen.Bool, TurnGen.Array[1, 8], TurnGen.Array[0, 8], TurnGen.Array[0, 8], Gen.Int[0, 4], Gen.Int[0, 8]);
        await gen.SampleAsync(async (system, first, second, third, protectFirst, protectLast) =>
        {
            using var engine = new LcmContextEngine(path) { ProtectFirstN = protectFirst, ProtectLastN = protectLast };
            engine.OnSessionStart("case-" + caseNumber++, new SessionStartContext());
            var calls = 0;
            var everything = new List<ChatMessage>();
            IReadOnlyList<ChatMessage> conversation = system ? [SystemMessage("You are a test assistant.")] : [];
            everything.AddRange(conversation);
            foreach (var chunk in new[] { first, second, third })
            {
                var added = Build(chunk, ref calls);
                everything.AddRange(added);
                List<ChatMessage> input = [.. conversation, .. added];
                var output = await engine.CompressAsync(input);
                if (BrokenInvariant(input, output) is { } broken)
                {
                    throw new InvalidOperationException($"{broken} (first={protectFirst}, last={protectLast})\nINPUT\n{Show(input)}\nOUTPUT\n{Show(output)}");
                }

                compactions += ReferenceEquals(output, input) ? 0 : 1;
                conversation = output;
            }

            if (await LostMessage(engine, everything, conversation) is { } lost)
            {
                throw new InvalidOperationException($"lost {lost} (first={protectFirst}, last={protectLast})\nOUTPUT\n{Show(conversation)}");
            }
        }, seed: Seed, iter: 300, threads: 1);

        // The generated conversations are long enough that most rounds really compact.
        Assert.True(compactions > 300, $"only {compactions} of 900 rounds compacted");
    }

    [Fact]
    public async Task Random_queries_never_throw_and_always_answer_json()
    {
        using var engine = new LcmContextEngine(_temp.Combine("queries.db"));
        await engine.CompressAsync(Turns(1, 10));
        var query = Gen.OneOf(Gen.String[0, 60], Gen.Char.Array[0, 40].Select(c => new string(c)), Gen.Const("\"*^():-+NEAR AND OR NOT\0"));
        await query.SampleAsync(async q =>
        {
            var result = await Grep(engine, q);
            Assert.True(result.ContainsKey("error") || result.ContainsKey("results"));
        }, seed: Seed, iter: 500, threads: 1);

        Assert.Equal(10, (await Grep(engine, "answer"))["count"]!.GetValue<int>());
    }
}
