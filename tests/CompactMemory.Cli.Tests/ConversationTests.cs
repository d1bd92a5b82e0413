using System.Linq;
using CompactMemory.Cli.Experiments;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>How a dataset text becomes a conversation for a context engine.</summary>
public sealed class ConversationTests
{
    [Fact]
    public void Role_lines_start_messages_and_other_lines_continue_them()
    {
        var messages = Conversation.Parse("Before any role.\nSYSTEM: Be brief.\nuser:  First line\nsecond line\n\nAssistant: Answer.\nTool: {\"ok\": true}\nUser:\n");

        Assert.Equal([ChatRole.User, ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], messages.Select(m => m.Role));
        Assert.Equal(["Before any role.", "Be brief.", "First line\nsecond line", "Answer.", "{\"ok\": true}"], messages.Select(m => m.Text));
    }

    [Fact]
    public void A_text_without_roles_is_one_user_message()
    {
        var messages = Conversation.Parse("Just some notes.\r\nOn two lines.");

        var message = Assert.Single(messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.Equal("Just some notes.\nOn two lines.", message.Text);
    }

    [Fact]
    public void A_word_that_only_begins_like_a_role_is_text()
    {
        var messages = Conversation.Parse("Users: are many.\nuser:x");

        Assert.Equal(["Users: are many.", "x"], messages.Select(m => m.Text));
    }
}
