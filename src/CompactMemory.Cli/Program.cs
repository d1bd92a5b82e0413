using System;
using CompactMemory.Cli;

return CliApp.Run(args, Console.Out, Console.Error, Console.In, Environment.GetEnvironmentVariable);
