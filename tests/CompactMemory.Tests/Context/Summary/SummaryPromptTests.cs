using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Summary;

public sealed class SummaryPromptTests
{
    private static readonly DateTimeOffset Today = new(2026, 3, 4, 23, 30, 0, TimeSpan.Zero);

    private static readonly string[] Headings =
    [
        "## Historical Task Snapshot", "## Goal", "## Constraints & Preferences", "## Completed Actions", "## Active State",
        "## Historical In-Progress State", "## Blocked", "## Key Decisions", "## Resolved Questions",
        "## Historical Pending User Asks", "## Relevant Files", "## Historical Remaining Work", "## Critical Context",
    ];

    private static IEnumerable<string> AllPrompts()
    {
        yield return SummaryPrompt.Build("[USER]: hi", null, null, 2000, Today);
        yield return SummaryPrompt.Build("[USER]: hi", "old body", null, 2000, Today);
        yield return SummaryPrompt.Build("[USER]: hi", "old body", "database migration", 3100, Today);
        yield return SummaryPrompt.Build("[USER]: hi", null, "database migration", 3100, Today);
    }

    [Fact]
    public void Preamble_has_the_required_phrases_and_none_of_the_forbidden_ones()
    {
        foreach (var prompt in AllPrompts())
        {
            Assert.Contains("summarization agent creating a context checkpoint", prompt, StringComparison.Ordinal);
            Assert.Contains("Treat the conversation turns below as source material", prompt, StringComparison.Ordinal);
            Assert.Contains("structured checkpoint summary", prompt, StringComparison.Ordinal);
            Assert.Contains("same language", prompt, StringComparison.Ordinal);
            Assert.Contains("[REDACTED]", prompt, StringComparison.Ordinal);
            Assert.DoesNotContain("your output will be injected", prompt, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("do not respond", prompt, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("different assistant", prompt, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Section_headings_come_in_order_and_end_with_the_token_target()
    {
        foreach (var prompt in AllPrompts())
        {
            var last = -1;
            foreach (var heading in Headings)
            {
                var at = prompt.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
                Assert.True(at > last, heading + " out of order");
                last = at;
            }

            Assert.True(prompt.IndexOf("Target ~", StringComparison.Ordinal) > last);
        }

        Assert.Equal(Headings, SummaryPrompt.SectionHeadings);
        Assert.Contains("Target ~2000 tokens", SummaryPrompt.Build("x", null, null, 2000, Today), StringComparison.Ordinal);
        Assert.Contains("Target ~12345 tokens", SummaryPrompt.Build("x", null, null, 12345, Today), StringComparison.Ordinal);
    }

    [Fact]
    public void First_summary_and_iterative_update_have_their_own_forms()
    {
        var first = SummaryPrompt.Build("[USER]: fix it", null, null, 2000, Today);
        Assert.Contains("TURNS TO SUMMARIZE:\n[USER]: fix it", first, StringComparison.Ordinal);
        Assert.DoesNotContain("PREVIOUS SUMMARY:", first, StringComparison.Ordinal);
        Assert.DoesNotContain("NEW TURNS TO INCORPORATE:", first, StringComparison.Ordinal);

        var update = SummaryPrompt.Build("[USER]: next", "## Goal\nship it", null, 2000, Today);
        Assert.Contains("PREVIOUS SUMMARY:\n## Goal\nship it", update, StringComparison.Ordinal);
        Assert.Contains("NEW TURNS TO INCORPORATE:\n[USER]: next", update, StringComparison.Ordinal);
        Assert.DoesNotContain("TURNS TO SUMMARIZE:", update, StringComparison.Ordinal);
        Assert.True(update.IndexOf("PREVIOUS SUMMARY:", StringComparison.Ordinal) < update.IndexOf("NEW TURNS TO INCORPORATE:", StringComparison.Ordinal));
        Assert.Contains("Preserve", update, StringComparison.Ordinal);
        Assert.Contains("continue the numbering", update, StringComparison.Ordinal);
        Assert.Contains("from Historical In-Progress State to Completed Actions", update, StringComparison.Ordinal);
    }

    [Fact]
    public void Temporal_anchoring_names_today_in_invariant_form()
    {
        var prompt = SummaryPrompt.Build("x", null, null, 2000, Today);
        Assert.Contains("Today's date is 2026-03-04.", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Focus_topic_is_quoted_prioritised_and_redacted()
    {
        var prompt = SummaryPrompt.Build("x", null, "the password=hunter2 rotation", 2000, Today);
        Assert.Contains("FOCUS TOPIC: \"the password=[REDACTED] rotation\"", prompt, StringComparison.Ordinal);
        Assert.Contains("PRIORITISE", prompt, StringComparison.Ordinal);
        Assert.Contains("60-70%", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("FOCUS TOPIC", SummaryPrompt.Build("x", null, "  ", 2000, Today), StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_is_a_fifth_of_the_turns_between_the_floor_and_the_ceiling()
    {
        var small = new List<ChatMessage> { Msg.User("hello") };
        Assert.Equal(2000, SummaryPrompt.Budget(small, 10_000));
        Assert.Equal(2000, SummaryPrompt.Budget(small, 500));

        var large = new List<ChatMessage> { Msg.User(new string('a', 100_000)), Msg.Assistant(new string('b', 60_000)) };
        var rough = RoughTokenEstimator.EstimateMessagesTokensRough(large);
        Assert.Equal((int)(rough * 0.20), SummaryPrompt.Budget(large, 100_000));
        Assert.True((int)(rough * 0.20) > 3000);
        Assert.Equal(3000, SummaryPrompt.Budget(large, 3000));
        Assert.Equal(2000, SummaryPrompt.Budget(large, 1000));
    }

    [Fact]
    public void Turns_serialise_by_role_with_tool_results_and_tool_calls()
    {
        var turns = new List<ChatMessage>
        {
            Msg.User("read it"),
            Msg.Call("Reading.", ("call_1", "read_file", "{\"path\":\"a.txt\"}"), ("call_2", "terminal", "{\"command\":\"ls\"}")),
            Msg.Tool("call_1", "contents"),
            Msg.Tool("call_2", null),
            new ChatMessage(new ChatRole("developer"), "dev note"),
            new ChatMessage(ChatRole.User, (string?)null),
        };

        Assert.Equal(
            "[USER]: read it\n\n"
            + "[ASSISTANT]: Reading.\n[Tool calls:\n  read_file({\"path\":\"a.txt\"})\n  terminal({\"command\":\"ls\"})\n]\n\n"
            + "[TOOL RESULT call_1]: contents\n\n"
            + "[TOOL RESULT call_2]: \n\n"
            + "[DEVELOPER]: dev note\n\n"
            + "[USER]: ",
            SummaryPrompt.Serialize(turns));
    }

    [Fact]
    public void Long_bodies_and_arguments_are_cut_and_secrets_and_media_never_leave()
    {
        var body = new string('h', 4_000) + new string('m', 2_500) + new string('t', 1_500);
        var serialized = SummaryPrompt.SerializeMessage(Msg.User(body));
        Assert.Equal("[USER]: " + new string('h', 4_000) + "\n...[truncated]...\n" + new string('t', 1_500), serialized);
        Assert.Equal("[USER]: " + new string('x', 6_000), SummaryPrompt.SerializeMessage(Msg.User(new string('x', 6_000))));

        var arguments = "{\"data\":\"" + new string('d', 2_000) + "\"}";
        var call = SummaryPrompt.SerializeMessage(Msg.Call(null, ("c", "write", arguments)));
        Assert.Equal("[ASSISTANT]: \n[Tool calls:\n  write(" + arguments[..1_200] + "...)\n]", call);

        var secretive = SummaryPrompt.SerializeMessage(Msg.Call("key sk-proj-AbCdEf0123456789ghijKLMN see MEDIA:/tmp/shot.png", ("c", "login", "{\"password\":\"hunter2hunter2\"}")));
        Assert.DoesNotContain("sk-proj", secretive, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", secretive, StringComparison.Ordinal);
        Assert.DoesNotContain("MEDIA:", secretive, StringComparison.Ordinal);
        Assert.Contains("[media attachment]", secretive, StringComparison.Ordinal);

        var toolText = SummaryPrompt.SerializeMessage(Msg.Tool("t1", "token=abcdef123456 and MEDIA:https://x/y.jpg"));
        Assert.Equal("[TOOL RESULT t1]: token=[REDACTED] and [media attachment]", toolText);
    }

    [Fact]
    public void An_earlier_handoff_among_the_turns_contributes_only_its_live_content()
    {
        var standalone = HandoffText.Standalone(ChatRole.User, "OLD SUMMARY BODY");
        var merged = HandoffText.Merge(Msg.User("live ask"), "OLD MERGED BODY", summaryFirst: false);
        var serialized = SummaryPrompt.Serialize([standalone, merged, Msg.Assistant("done")]);
        Assert.Equal("[USER]: live ask\n\n[ASSISTANT]: done", serialized);
    }

    [Fact]
    public async Task The_call_sends_one_user_message_with_the_budgeted_output_and_no_temperature()
    {
        var client = ScriptedChatClient.Replying("## Goal\nship");
        var summarizer = new CompactionSummarizer(client, TimeSpan.FromSeconds(120), new ManualTimeProvider(Today));
        var turns = new List<ChatMessage> { Msg.User("please ship"), Msg.Assistant("shipping") };

        var summary = await summarizer.GenerateAsync(turns, "shipping", 10_000, CancellationToken.None);

        Assert.Equal(ContextCompressor.SummaryPrefix + "\n## Goal\nship", summary);
        var call = Assert.Single(client.Calls);
        var message = Assert.Single(call.Messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.Equal(2600, call.Options!.MaxOutputTokens);
        Assert.Null(call.Options.ModelId);
        Assert.Null(call.Options.Temperature);
        Assert.Contains("TURNS TO SUMMARIZE:\n[USER]: please ship\n\n[ASSISTANT]: shipping", call.Prompt, StringComparison.Ordinal);
        Assert.Contains("FOCUS TOPIC: \"shipping\"", call.Prompt, StringComparison.Ordinal);
        Assert.Contains("2026-03-04", call.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_second_summary_updates_the_first()
    {
        var client = ScriptedChatClient.Replying("## Goal\nfirst");
        var summarizer = new CompactionSummarizer(client, TimeSpan.FromSeconds(120), new ManualTimeProvider(Today));
        await summarizer.GenerateAsync([Msg.User("one")], null, 10_000, CancellationToken.None);
        Assert.Equal("## Goal\nfirst", summarizer.PreviousSummary);

        await summarizer.GenerateAsync([Msg.User("two")], null, 10_000, CancellationToken.None);
        Assert.Contains("PREVIOUS SUMMARY:\n## Goal\nfirst\n\nNEW TURNS TO INCORPORATE:\n[USER]: two", client.Calls[1].Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Override_model_is_named_only_when_set()
    {
        var client = ScriptedChatClient.Replying("ok");
        var summarizer = new CompactionSummarizer(client, TimeSpan.FromSeconds(120), new ManualTimeProvider(Today)) { SummaryModel = "small-model", Model = "main-model" };
        await summarizer.GenerateAsync([Msg.User("x")], null, 10_000, CancellationToken.None);
        Assert.Equal("small-model", client.Calls[0].Options!.ModelId);
    }
}
