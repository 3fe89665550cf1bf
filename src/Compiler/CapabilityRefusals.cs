using Microsoft.FSharp.Core;
using Ppl.Dsl;
using Ppl.Runtime.Models;

namespace Ppl.Compiler;

/// <summary>
/// The located errors of a command that needs what a model does not offer: `ppl sample` a log density (PPL0301),
/// `ppl simulate`/`ppl train` a simulator (PPL0303). Each is located at the first reason the capability analysis found
/// (a discrete param, a discrete latent that cannot be summed out, a deterministic observation, a non-differentiable
/// call; a flat prior, a factor, an observation of data that the simulation would read), or at the model's name when
/// the reason has no single place.
/// </summary>
public static class CapabilityRefusals
{
    /// <summary>Why `ppl sample` cannot run the model, or null when it can.</summary>
    public static Diagnostic? Sampling(Compilation c)
    {
        var caps = c.Capabilities;
        if (caps is null || caps.Explicit) return null;
        return Error(DiagnosticCatalogue.NoLogDensity, c.CapabilitySources?.ExplicitAt ?? ModelRange(c),
            CapabilityErrors.NoLogDensityMessage(c.Ir!.Name, caps.ExplicitReason),
            "implicit inference (simulation-based) works without one");
    }

    /// <summary>Why `ppl simulate` (and the commands that train on simulations) cannot run the model, or null.</summary>
    public static Diagnostic? Simulation(Compilation c)
    {
        var caps = c.Capabilities;
        if (caps is null || caps.Implicit) return null;
        return Error(DiagnosticCatalogue.CannotSimulate, c.CapabilitySources?.ImplicitAt ?? ModelRange(c), CapabilityErrors.CannotSimulateMessage(c.Ir!.Name, caps.ImplicitReason),
            "explicit inference (ppl sample) works without a simulator");
    }

    private static SourceRange ModelRange(Compilation c) => c.Syntax!.Name.Range;

    private static Diagnostic Error(DiagnosticCode code, SourceRange range, string message, string hint) =>
        new(code, Severity.Error, range, message, FSharpOption<string>.Some(hint));
}
