using System;

namespace CompactMemory.Context;

/// <summary>
/// Messages in the OpenAI chat-completions format could not be read: the message names the offending message (by its
/// index in the array), the field and how to fix it.
/// </summary>
public sealed class ChatFormatException : CompactMemoryException
{
    /// <summary>Creates the exception.</summary>
    public ChatFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public ChatFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public ChatFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one message.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="messageIndex">The 0-based index of the offending message, or <see langword="null"/> when the whole document is wrong.</param>
    /// <param name="field">The offending field inside that message (<c>tool_calls[0].function.arguments</c>), or <see langword="null"/>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ChatFormatException(string message, int? messageIndex, string? field, Exception? innerException = null)
        : base(message, innerException)
    {
        MessageIndex = messageIndex;
        Field = field;
    }

    /// <summary>The 0-based index of the offending message in the array; <see langword="null"/> when the document as a whole is wrong (not JSON, not an array).</summary>
    public int? MessageIndex { get; }

    /// <summary>The offending field inside the message (for example <c>role</c> or <c>tool_calls[0].function.arguments</c>), or <see langword="null"/>.</summary>
    public string? Field { get; }
}
