using Ppl.Compiler.Lowering;
using Ppl.Compiler.Semantics;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.CodeGen;

/// <summary>
/// A loop with carried state as a C# `for` loop: each state is a tensor local reassigned at the end of every step, each
/// output's per-step values go to a list that is stacked after the loop (along the axis after the batch), and a random
/// site of the body asks the context for its step (<c>ctx.LatentStep</c>/<c>ctx.ObserveStep</c>) and hands the steps back
/// for the site's whole value (<c>ctx.StackSteps</c>). The loop object's fields are the locals <c>{loop}_{name}</c>.
/// The step tensors stay in the evaluation's dispose scope: the autograd graph and the context's log-density terms use them.
/// </summary>
internal sealed partial class ExpressionEmitter
{
    /// <summary>The C# expression of the current step number (0 at the loop's first step) of the innermost loop.</summary>
    private readonly Stack<string> _loopSteps = new();

    private Code EmitScan(IrScan s)
    {
        var prefix = _names.Temp("loop");
        var first = prefix + "_lo";
        Add($"long {first} = {Long(s.Lo)};");
        var last = prefix + "_hi";
        Add($"long {last} = {Long(s.Hi)};");
        var states = new List<string>();
        foreach (var state in s.States)
        {
            var type = (TensorType)state.Variable.Type;
            var init = FitState(TensorOf(state.Init, type.Elem), state.Init, type, state.Variable.Batched);
            var name = _names.Local(state.Variable, Repr.Tensor);
            Add($"Tensor {name} = {init};");
            states.Add(name);
        }
        var lists = new Dictionary<IrVariable, string>();
        foreach (var output in s.Outputs)
        {
            var list = $"{prefix}_{output.Name}_steps";
            Add($"var {list} = new System.Collections.Generic.List<Tensor>();");
            lists[output] = list;
        }
        var index = _names.Local(s.Index, Repr.HostLong);
        var body = new List<CsStatement>();
        int caller = CurrentLocation;
        _loopSteps.Push($"{index} - {first}");
        try
        {
            Into(body, () =>
            {
                foreach (var (v, value) in s.Lets)
                {
                    // Each line of the body is located on its own: a failure in a step points at its line.
                    if (Locate is not null) SetLocation(Locate(value.Range, _callSites.ToList()));
                    var type = v.Type as TensorType;
                    var code = Tensor(value);
                    if (type is not null) code = ToElem(code, value, type.Elem);
                    var state = s.States.FirstOrDefault(st => st.Variable.Name == v.Name && !lists.ContainsKey(v));
                    if (state is not null && type is not null) code = FitState(code, value, type, state.Variable.Batched);
                    var name = _names.Local(v, Repr.Tensor);
                    Add($"var {name} = {code};");
                    if (lists.TryGetValue(v, out var list))
                        Add($"{list}.Add({(s.Batched && !v.Batched && type is not null ? FitState(name, value, type, true) : name)});");
                }
                for (int i = 0; i < s.States.Count; i++)
                {
                    var state = s.States[i];
                    var type = (TensorType)state.Variable.Type;
                    Add($"{states[i]} = {FitState(Tensor(state.Next), state.Next, type, state.Variable.Batched)};");
                }
                return 0;
            });
        }
        finally
        {
            _loopSteps.Pop();
        }
        Add(new CsBlock($"for (long {index} = {first}; {index} < {last}; {index}++)", body));
        if (Locate is not null && caller >= 0) SetLocation(caller);
        foreach (var output in s.Outputs)
        {
            var step = s.Lets.First(l => l.Variable == output).Value as IrSiteStep;
            Add(step is not null
                ? $"var {prefix}_{output.Name} = ctx.StackSteps({step.Site.Index}, {lists[output]});"
                : $"var {prefix}_{output.Name} = Lib.StackList({lists[output]}, {(s.Batched ? "true" : "false")});");
        }
        for (int i = 0; i < s.States.Count; i++)
        {
            var state = s.States[i];
            var final = s.Batched && !state.Variable.Batched ? FitState(states[i], state.Init, (TensorType)state.Variable.Type, true) : states[i];
            Add($"var {prefix}_{state.Variable.Name} = {final};");
        }
        return new Code(prefix, Repr.Object);
    }

    /// <summary>A value given the form of a state: batched (the batch axis first, the state's full event shape) when the
    /// state is. The checker gives an update the state's rank, so a batched value already has that form.</summary>
    private string FitState(string code, IrExpr value, TensorType type, bool batched)
    {
        if (!batched || value.Batched) return code;
        var shape = ShapeCode(type.Shape);
        return shape is null
            ? $"Lib.ExpandBatch({code}, {BatchSize ?? "1L"})"
            : $"Lib.ExpandBatch(Lib.BroadcastTo(new Ev({code}, false), {shape}), {BatchSize ?? "1L"})";
    }

    private Code EmitSiteStep(IrSiteStep step)
    {
        var dist = Distribution(step.Distribution, step.Rank);
        var method = step.Role == SiteRole.Latent ? "LatentStep" : "ObserveStep";
        return new Code($"ctx.{method}({step.Site.Index}, {_loopSteps.Peek()}, {dist})", Repr.Tensor);
    }
}
