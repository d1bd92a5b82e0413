using System;

namespace CompactMemory.BuiltIn;

/// <summary>A pipeline configuration is malformed, or one of its stages could not be created.</summary>
public sealed class PipelineConfigurationException : ConfigurationException
{
    /// <summary>Creates the exception.</summary>
    public PipelineConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public PipelineConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PipelineConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the JSON was well-formed but a stage's engine could not be created (unknown id, bad config).</summary>
    public bool IsStageFailure { get; init; }

    /// <summary>True when pipelines nest more than <see cref="PipelineEngine.MaxNesting"/> deep; the message is passed up unchanged.</summary>
    public bool IsNestingLimit { get; init; }
}
