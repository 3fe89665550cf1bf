using Ppl.Compiler.Semantics;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Lowering;

/// <summary>
/// Decides what the model offers: an explicit log density (every observation has a distribution, and the density is
/// differentiable in the params and latents), a simulator (always), and the simulator's score in θ (the latents' and
/// observations' densities exist and are differentiable in θ). Each "no" comes with the reason and its location.
/// </summary>
public static class CapabilityAnalysis
{
    public static CapabilityReport Run(IrModel model) => Analyse(model).Report;

    /// <summary>The report, with where the first reason for each "no" of explicit and implicit inference is (a site,
    /// a factor, a non-differentiable call), for located refusals (<see cref="CapabilityRefusals"/>).</summary>
    public static CapabilityAnalysisResult Analyse(IrModel model)
    {
        SourceRange? explicitAt = null;
        var exact = model.Sites.FirstOrDefault(s => s.Exact is not null);
        var discrete = new HashSet<IrVariable>(model.Sites.Where(s => s.Role != SiteRole.Observed && s.Distribution is { IsDiscrete: true }).Select(s => s.Variable));
        var latentOrParam = new HashSet<IrVariable>(model.Sites.Where(s => s.Role != SiteRole.Observed && !discrete.Contains(s.Variable)).Select(s => s.Variable));
        var paramsOnly = new HashSet<IrVariable>(model.Sites.Where(s => s.Role == SiteRole.Param && !discrete.Contains(s.Variable)).Select(s => s.Variable));
        var discreteParam = model.Sites.FirstOrDefault(s => s.Role == SiteRole.Param && discrete.Contains(s.Variable));
        var summedOut = model.Sites.Where(s => s.EnumerationSize > 0).ToList();
        var discreteLatent = model.Sites.FirstOrDefault(s => s.Role == SiteRole.Latent && discrete.Contains(s.Variable) && s.EnumerationSize == 0);
        var factor = model.Factors.FirstOrDefault();
        var flat = model.Sites.FirstOrDefault(s => s.Distribution is { } d && d.SelfAndComponents().Any(c => c.Signature.IsFlat));

        string explicitReason;
        bool isExplicit;
        if (exact is not null)
        {
            isExplicit = false;
            explicitReason = $"observe {exact.Variable.Name} at {Where(exact.Range)} is deterministic (=), so the model has no likelihood for it";
            explicitAt = exact.Range;
        }
        else if (discreteParam is not null)
        {
            isExplicit = false;
            explicitReason = $"param {discreteParam.Variable.Name} at {Where(discreteParam.Range)} is discrete ({discreteParam.Distribution!.Signature.Name}), and HMC moves only continuous params"
                + (Enumeration.ValueCount(discreteParam.Distribution) is not null ? "; declare it latent to have it summed out by enumeration" : "");
            explicitAt = discreteParam.Range;
        }
        else if (discreteLatent is not null)
        {
            isExplicit = false;
            explicitReason = $"latent {discreteLatent.Variable.Name} at {Where(discreteLatent.Range)} is discrete: {Enumeration.WhyNot(discreteLatent)}";
            explicitAt = discreteLatent.Range;
        }
        else if (NonDifferentiable(model, latentOrParam) is { } nd)
        {
            isExplicit = false;
            explicitReason = $"the log density is not differentiable in the params and latents: {nd.Builtin.Name} at {Where(nd.Range)}";
            explicitAt = nd.Range;
        }
        else
        {
            isExplicit = true;
            explicitReason = model.Sites.Any(s => s.Role == SiteRole.Latent && s.EnumerationSize == 0)
                ? "log-density differentiable in θ and z"
                : "log-density differentiable in θ";
            if (summedOut.Count > 0)
                explicitReason += $"; {string.Join(", ", summedOut.Select(s => s.Variable.Name))} summed out by enumeration";
            if (flat is not null)
                explicitReason += $"; improper flat prior on {flat.Variable.Name}";
            if (factor is not null)
                explicitReason += $"; factor at {Where(factor.Range)}";
        }

        var observedData = model.ObservedDataSimulationBlocker;
        bool isImplicit = flat is null && factor is null && observedData is null;
        string implicitReason = flat is not null
            ? $"{(flat.Role == SiteRole.Param ? "param" : "latent")} {flat.Variable.Name} at {Where(flat.Range)} has an improper flat prior, which cannot be simulated"
            : factor is not null
                ? $"factor at {Where(factor.Range)} adds to the log density, which a simulation cannot draw from"
                : observedData is { } od
                    ? od.Reason
                    : "every distribution can be sampled";
        SourceRange? implicitAt = flat?.Range ?? factor?.Range ?? observedData?.Range;

        bool score;
        string scoreReason;
        if (!model.Sites.Any(s => s.Role == SiteRole.Param))
        {
            score = false;
            scoreReason = "the model has no params";
        }
        else if (!isImplicit)
        {
            score = false;
            scoreReason = implicitReason;
        }
        else if (exact is not null)
        {
            score = false;
            scoreReason = $"observe {exact.Variable.Name} at {Where(exact.Range)} has no density";
        }
        else if (discreteParam is not null)
        {
            score = false;
            scoreReason = $"param {discreteParam.Variable.Name} at {Where(discreteParam.Range)} is discrete, so log p has no gradient in it";
        }
        else if (NonDifferentiable(model, paramsOnly) is { } nd)
        {
            score = false;
            scoreReason = $"{nd.Builtin.Name} at {Where(nd.Range)} is not differentiable on a path from θ";
        }
        else
        {
            score = true;
            scoreReason = "∇θ log p(x, z | θ) by automatic differentiation";
        }
        return new CapabilityAnalysisResult(new CapabilityReport(isExplicit, explicitReason, isImplicit, implicitReason, score, scoreReason),
            isExplicit ? null : explicitAt, isImplicit ? null : implicitAt);
    }

    private static string Where(SourceRange r) => $"{r.Start.Line}:{r.Start.Column}";

    /// <summary>The first builtin without a gradient whose numeric result depends on the given sites.</summary>
    private static IrCall? NonDifferentiable(IrModel model, HashSet<IrVariable> sources)
    {
        var dependent = new HashSet<IrVariable>(sources);
        bool Depends(IrExpr e) => e switch
        {
            IrVarRef r => dependent.Contains(r.Variable),
            IrBlock b => BlockDepends(b),
            IrScan s => ScanDepends(s),
            IrSiteStep step => sources.Contains(step.Site) || Depends(step.Distribution),
            _ => e.Children.Any(Depends),
        };
        bool BlockDepends(IrBlock b)
        {
            foreach (var (v, value) in b.Lets)
                if (Depends(value)) dependent.Add(v);
            return Depends(b.Result);
        }
        // A loop's states and lets depend on the sources when their values do, through any number of steps.
        bool ScanDepends(IrScan s)
        {
            foreach (var state in s.States)
                if (Depends(state.Init)) dependent.Add(state.Variable);
            for (int pass = 0; pass <= s.States.Count; pass++)
            {
                foreach (var (v, value) in s.Lets)
                    if (Depends(value)) dependent.Add(v);
                bool grew = false;
                foreach (var state in s.States)
                    if (Depends(state.Next) && dependent.Add(state.Variable)) grew = true;
                if (!grew) break;
            }
            return s.Lets.Any(l => dependent.Contains(l.Variable)) || s.States.Any(st => dependent.Contains(st.Variable));
        }
        IrCall? Find(IrExpr e)
        {
            foreach (var node in IrTraversal.Descendants(e))
            {
                if (node is IrBlock b) BlockDepends(b);
                if (node is IrScan scan) ScanDepends(scan);
                if (node is IrLambda l) foreach (var p in l.Parameters) dependent.Add(p);
                if (node is IrCall { Builtin.Differentiable: false } c && c.Type is TensorType { Elem.IsBool: false } && c.Children.Any(Depends))
                    return c;
            }
            return null;
        }
        foreach (var statement in model.Body)
        {
            switch (statement)
            {
                case IrLet let:
                    if (Find(let.Value) is { } c1) return c1;
                    if (Depends(let.Value)) dependent.Add(let.Variable);
                    break;
                case IrFactor factor:
                    if (Find(factor.Value) is { } c3) return c3;
                    break;
                case IrSite site:
                    if (site.Distribution is not null && Find(site.Distribution) is { } c2) return c2;
                    break;
            }
        }
        return null;
    }
}

/// <summary>What <see cref="CapabilityAnalysis.Analyse"/> found: the report, and the source of the first reason for a
/// "no" of explicit (<see cref="ExplicitAt"/>) and implicit (<see cref="ImplicitAt"/>) inference, when there is one.</summary>
public sealed record CapabilityAnalysisResult(CapabilityReport Report, SourceRange? ExplicitAt, SourceRange? ImplicitAt);
