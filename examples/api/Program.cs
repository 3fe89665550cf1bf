using Ppl.ApiExample;

// dotnet run --project examples/api -c Release [-- EXAMPLES_FOLDER]
var folder = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..");
EightSchoolsFromCSharp.Run(Path.GetFullPath(folder), Console.Out);
