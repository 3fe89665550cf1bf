using Ppl.Compiler;
using Ppl.Compiler.Lowering;
using Ppl.Dsl;

namespace Ppl.Cli.Commands;

/// <summary>`ppl compile MODEL [--emit-cs DIR] [--dump-ir-after PASS] [--timings]`: compiles to an assembly (cached), optionally writing the generated C#.</summary>
public static class CompileCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Value("--emit-cs", "DIR", "write the generated C# into DIR")
        .Flag("--dump-ast", "print the syntax tree")
        .Flag("--dump-ir", "print the IR")
        .Flag("--no-cache", "compile even when the cache holds the model")
        .WithCompilerDumps();

    public static int Run(CliContext ctx, CommandLine line)
    {
        if (line.Positional.Count != 1) return ctx.Usage("compile expects one model file", "ppl compile MODEL.ppl [--emit-cs DIR]");
        var (pass, passError) = CompilerDumps.Pass(line);
        if (passError is not null) return ctx.Usage(passError);
        var clock = ModelLoading.Start();
        var (compilation, exit) = ModelLoading.Compile(ctx, line.Positional[0], new CompilationOptions { UseCache = !line.Has("--no-cache"), DumpIrAfter = pass });
        if (compilation is null) return exit;
        CompilerDumps.Write(ctx.Out, compilation, line);
        if (line.Has("--dump-ast")) ctx.Out.Write(SyntaxPrinter.printModel(compilation.Syntax!));
        if (line.Has("--dump-ir")) ctx.Out.Write(IrPrinter.Print(compilation.Ir!, compilation.Capabilities));
        if (line.Get("--emit-cs") is { } dir)
        {
            try
            {
                Directory.CreateDirectory(dir);
                var path = Path.Combine(dir, Path.GetFileNameWithoutExtension(compilation.File) + ".g.cs");
                File.WriteAllText(path, compilation.CSharp);
                ctx.Out.WriteLine($"wrote {path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return ctx.Usage($"cannot write to '{dir}': {e.Message}");
            }
        }
        ctx.Out.WriteLine($"compiled {compilation.Description!.Name} in {ModelLoading.Seconds(clock.Elapsed)}{(compilation.FromCache ? " (cached)" : "")}");
        return ExitCodes.Ok;
    }
}
