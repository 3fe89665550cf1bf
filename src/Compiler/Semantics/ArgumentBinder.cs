using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>One parameter of a call's signature as binding sees it: its name and whether a call may omit it.</summary>
public readonly record struct BindingParameter(string Name, bool Optional);

/// <summary>
/// Matches a call's arguments (positional, then named) to a signature's parameters — for builtins, distributions and
/// mixtures alike — and reports what does not fit: too many arguments, an unknown name (PPL0204), a parameter given twice
/// (PPL0205), a required one missing (PPL0203). Each bound argument is turned into a value by <c>bind</c> when it is
/// matched, in the order written. The parameter at <c>variadicIndex</c> (if any) takes every positional argument from
/// there on and cannot be named.
/// </summary>
public static class ArgumentBinder
{
    /// <summary>The values of the parameters (null where omitted) and of the variadic parameter, or null after an error.
    /// With <paramref name="stopAtFirstError"/> binding ends at the first problem; otherwise every unknown or repeated
    /// name is reported (the remaining arguments still bound).</summary>
    public static (T?[] Slots, List<T> Variadic)? Bind<T>(string callee, IReadOnlyList<BindingParameter> parameters, int variadicIndex,
        string summary, IEnumerable<Arg> args, SourceRange callRange, DiagnosticBag diagnostics, Func<int, Expr, T> bind,
        bool stopAtFirstError)
        where T : class
    {
        var slots = new T?[parameters.Count];
        var variadic = new List<T>();
        int next = 0;
        bool failed = false;
        foreach (var a in args)
        {
            if (a is Arg.Positional p)
            {
                if (next == variadicIndex)
                {
                    variadic.Add(bind(next, p.Value));
                    continue;
                }
                if (next >= parameters.Count)
                {
                    diagnostics.Error(DiagnosticCatalogue.ArgumentCount, Syntax.exprRange(p.Value), $"{callee} takes at most {parameters.Count} argument(s)", summary);
                    return null;
                }
                slots[next] = bind(next, p.Value);
                next++;
            }
            else
            {
                var n = (Arg.Named)a;
                int index = IndexOf(parameters, n.Name.Name);
                if (index < 0 || index == variadicIndex)
                {
                    diagnostics.Error(DiagnosticCatalogue.UnknownNamedArgument, n.Name.Range, $"{callee} has no parameter named '{n.Name.Name}'", summary);
                    if (stopAtFirstError) return null;
                    failed = true;
                    continue;
                }
                if (slots[index] is not null)
                {
                    diagnostics.Error(DiagnosticCatalogue.NamedArgumentTwice, n.Name.Range, $"{callee}: '{n.Name.Name}' is given twice");
                    if (stopAtFirstError) return null;
                    failed = true;
                    continue;
                }
                slots[index] = bind(index, n.Value);
            }
        }
        if (failed) return null;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (slots[i] is null && !parameters[i].Optional && i != variadicIndex)
            {
                diagnostics.Error(DiagnosticCatalogue.ArgumentCount, callRange, $"{callee}: missing argument '{parameters[i].Name}'", summary);
                return null;
            }
        }
        return (slots, variadic);
    }

    private static int IndexOf(IReadOnlyList<BindingParameter> parameters, string name)
    {
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Name == name) return i;
        return -1;
    }
}
