using System;
using CompactMemory.Cli;

using var input = Console.OpenStandardInput();
return CliApp.Run(args, Console.Out, Console.Error, input, Environment.GetEnvironmentVariable);
