using System;

namespace CompactMemory;

/// <summary>The base of every exception the SDK throws on purpose.</summary>
public class CompactMemoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CompactMemoryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public CompactMemoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public CompactMemoryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An engine failed while compressing or could not be created.</summary>
public class EngineException : CompactMemoryException
{
    /// <summary>Creates the exception.</summary>
    public EngineException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public EngineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public EngineException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A configuration value is missing or has the wrong type.</summary>
public class ConfigurationException : CompactMemoryException
{
    /// <summary>Creates the exception.</summary>
    public ConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public ConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
