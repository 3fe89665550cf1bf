using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>Matter transfer functions.</summary>
public static class Transfer
{
    /// <summary>
    /// Eisenstein &amp; Hu (1998) transfer function T(k) for k in h/Mpc, [n] or [B, n] → [B, n]; with baryon acoustic
    /// oscillations (jax-cosmo's default "eisenhu_osc", EH98 eqs. 2–24) or the zero-baryon shape fit ("eisenhu", eq. 29).
    /// </summary>
    public static Tensor EisensteinHu(CosmologyParameters c, Tensor k, bool withBaryonOscillations = true)
    {
        using var scope = NewDisposeScope();
        var kk = c.Batched(k, nameof(k));
        var result = withBaryonOscillations ? EisensteinHuAligned(c, kk) : EisensteinHuNoWiggleAligned(c, kk);
        return result.expand(c.BatchSize, -1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The scale-independent quantities of EH98, per cosmology ([B] tensors).</summary>
    private sealed class Scales
    {
        public Scales(CosmologyParameters c)
        {
            double theta2 = Math.Pow(CosmologyConstants.CmbTemperature / 2.7, 2);
            H = c.H;
            var h2 = TensorArithmetic.Square(c.H);
            OmegaM = c.OmegaM;
            WM = OmegaM * h2;
            WB = c.OmegaB * h2;
            FB = c.OmegaB / OmegaM;
            FC = c.OmegaC / OmegaM;
            KEq = TensorArithmetic.Div(TensorArithmetic.Mul(7.46e-2, WM), theta2) / c.H; // eq. 3, h/Mpc
            ZEq = TensorArithmetic.Div(TensorArithmetic.Mul(2.50e4, WM), (theta2 * theta2)); // eq. 2
            var b1 = TensorArithmetic.Mul(0.313, WM.pow(ConstantScalars.Of(-0.419))) * (TensorArithmetic.Add(1.0, TensorArithmetic.Mul(0.607, WM.pow(ConstantScalars.Of(0.674)))));
            var b2 = TensorArithmetic.Mul(0.238, WM.pow(ConstantScalars.Of(0.223)));
            ZDrag = TensorArithmetic.Mul(1291.0, WM.pow(ConstantScalars.Of(0.251))) / (TensorArithmetic.Add(1.0, TensorArithmetic.Mul(0.659, WM.pow(ConstantScalars.Of(0.828))))) * (TensorArithmetic.Add(1.0, b1 * WB.pow(b2))); // eq. 4
            RDrag = TensorArithmetic.Div(TensorArithmetic.Mul(31.5, WB), (theta2 * theta2)) * (TensorArithmetic.Div(1.0e3, ZDrag)); // eq. 5
            var rEq = TensorArithmetic.Div(TensorArithmetic.Mul(31.5, WB), (theta2 * theta2)) * (TensorArithmetic.Div(1.0e3, ZEq));
            SoundHorizon = TensorArithmetic.Div(2.0, (TensorArithmetic.Mul(3.0, KEq))) * (TensorArithmetic.Div(6.0, rEq)).sqrt()
                * ((TensorArithmetic.Add((TensorArithmetic.Add(1.0, RDrag)).sqrt(), (TensorArithmetic.Add(rEq, RDrag)).sqrt())) / (TensorArithmetic.Add(1.0, rEq.sqrt()))).log(); // eq. 6, Mpc/h
            KSilk = TensorArithmetic.Mul(1.6, WB.pow(ConstantScalars.Of(0.52))) * WM.pow(ConstantScalars.Of(0.73)) * (TensorArithmetic.Add(1.0, (TensorArithmetic.Mul(10.4, WM)).pow(ConstantScalars.Of(-0.95)))) / c.H; // eq. 7, h/Mpc
        }

        public Tensor H, OmegaM, WM, WB, FB, FC, KEq, ZEq, ZDrag, RDrag, SoundHorizon, KSilk;
    }

    internal static Tensor EisensteinHuAligned(CosmologyParameters c, Tensor k)
    {
        using var scope = NewDisposeScope();
        var s = new Scales(c);
        long r = k.dim();
        Tensor Col(Tensor p) => c.Column(p, r);

        // Cold dark matter, EH98 eqs. 11–12 and 17–18.
        var a1 = (TensorArithmetic.Mul(46.9, s.WM)).pow(ConstantScalars.Of(0.670)) * (TensorArithmetic.Add(1.0, (TensorArithmetic.Mul(32.1, s.WM)).pow(ConstantScalars.Of(-0.532))));
        var a2 = (TensorArithmetic.Mul(12.0, s.WM)).pow(ConstantScalars.Of(0.424)) * (TensorArithmetic.Add(1.0, (TensorArithmetic.Mul(45.0, s.WM)).pow(ConstantScalars.Of(-0.582))));
        var alphaC = a1.pow(-s.FB) * a2.pow(-s.FB.pow(ConstantScalars.Of(3)));
        var bb1 = TensorArithmetic.Div(0.944, (TensorArithmetic.Add(1.0, (TensorArithmetic.Mul(458.0, s.WM)).pow(ConstantScalars.Of(-0.708)))));
        var bb2 = (TensorArithmetic.Mul(0.395, s.WM)).pow(ConstantScalars.Of(-0.0266));
        var betaC = TensorArithmetic.Div(1.0, (TensorArithmetic.Add(1.0, bb1 * (TensorArithmetic.Sub(s.FC.pow(bb2), 1.0)))));

        var keq = Col(s.KEq);
        var sh = Col(s.SoundHorizon);
        var q = k / (TensorArithmetic.Mul(13.41, keq));
        var q2 = TensorArithmetic.Square(q);
        var qPow = q.pow(ConstantScalars.Of(1.08));
        // T̃(k; α, β), EH98 eq. 19 (10): both CDM pieces share β_c.
        var cdmLog = (TensorArithmetic.Add(Math.E, TensorArithmetic.Mul(1.8, Col(betaC)) * q)).log();
        var cTail = TensorArithmetic.Div(386.0, (TensorArithmetic.Add(1.0, TensorArithmetic.Mul(69.9, qPow))));
        var tUnit = cdmLog / (TensorArithmetic.Add(cdmLog, (TensorArithmetic.Add(14.2, cTail)) * q2));
        var tAlpha = cdmLog / (TensorArithmetic.Add(cdmLog, (TensorArithmetic.Add(TensorArithmetic.Div(14.2, Col(alphaC)), cTail)) * q2));
        var ksh = k * sh;
        var f = TensorArithmetic.Div(1.0, (TensorArithmetic.Add(1.0, (TensorArithmetic.Div(ksh, 5.4)).pow(ConstantScalars.Of(4)))));
        var cdm = TensorArithmetic.Add(f * tUnit, (TensorArithmetic.Sub(1.0, f)) * tAlpha);

        // Baryons, EH98 eqs. 14, 19, 21–24.
        var y = (TensorArithmetic.Add(1.0, s.ZEq)) / (TensorArithmetic.Add(1.0, s.ZDrag));
        var x = (TensorArithmetic.Add(1.0, y)).sqrt();
        var g = y * (TensorArithmetic.Add(TensorArithmetic.Mul(-6.0, x), (TensorArithmetic.Add(2.0, TensorArithmetic.Mul(3.0, y))) * ((TensorArithmetic.Add(x, 1.0)) / (TensorArithmetic.Sub(x, 1.0))).log()));
        var alphaB = TensorArithmetic.Mul(2.07, s.KEq) * s.SoundHorizon * (TensorArithmetic.Add(1.0, s.RDrag)).pow(ConstantScalars.Of(-0.75)) * g;
        var betaNode = TensorArithmetic.Mul(8.41, s.WM.pow(ConstantScalars.Of(0.435)));
        var betaB = TensorArithmetic.Add(TensorArithmetic.Add(0.5, s.FB), (TensorArithmetic.Sub(3.0, TensorArithmetic.Mul(2.0, s.FB))) * (TensorArithmetic.Add(TensorArithmetic.Square((TensorArithmetic.Mul(17.2, s.WM))), 1.0)).sqrt());
        var tildeS = sh / (TensorArithmetic.Add(1.0, (Col(betaNode) / ksh).pow(ConstantScalars.Of(3)))).pow(ConstantScalars.Of(1.0 / 3.0));
        var baryonLog = (TensorArithmetic.Add(Math.E, TensorArithmetic.Mul(1.8, q))).log();
        var tUnitUnit = baryonLog / (TensorArithmetic.Add(baryonLog, (TensorArithmetic.Add(14.2, cTail)) * q2));
        var baryon = (TensorArithmetic.Add(tUnitUnit / (TensorArithmetic.Add(1.0, TensorArithmetic.Square((TensorArithmetic.Div(ksh, 5.2))))), Col(alphaB) / (TensorArithmetic.Add(1.0, (Col(betaB) / ksh).pow(ConstantScalars.Of(3)))) * (-(k / Col(s.KSilk)).pow(ConstantScalars.Of(1.4))).exp()))
                     * sinc(TensorArithmetic.Div(k * tildeS, Math.PI));

        return (TensorArithmetic.Add(Col(s.FB) * baryon, Col(s.FC) * cdm)).MoveToOuterDisposeScope();
    }

    internal static Tensor EisensteinHuNoWiggleAligned(CosmologyParameters c, Tensor k)
    {
        using var scope = NewDisposeScope();
        var s = new Scales(c);
        long r = k.dim();
        var alphaGamma = TensorArithmetic.Add(TensorArithmetic.Sub(1.0, TensorArithmetic.Mul(0.328, (TensorArithmetic.Mul(431.0, s.WM)).log()) * s.WB / s.WM), TensorArithmetic.Mul(0.38, (TensorArithmetic.Mul(22.3, s.WM)).log()) * TensorArithmetic.Square(s.FB));
        var gammaEff = c.Column(s.OmegaM * s.H, r)
            * (TensorArithmetic.Add(c.Column(alphaGamma, r), c.Column(TensorArithmetic.Sub(1.0, alphaGamma), r) / (TensorArithmetic.Add(1.0, (TensorArithmetic.Mul(0.43, k) * c.Column(s.SoundHorizon, r)).pow(ConstantScalars.Of(4))))));
        var q = TensorArithmetic.Mul(k, Math.Pow(CosmologyConstants.CmbTemperature / 2.7, 2)) / gammaEff;
        var l = (TensorArithmetic.Add(2.0 * Math.E, TensorArithmetic.Mul(1.8, q))).log();
        var cq = TensorArithmetic.Add(14.2, TensorArithmetic.Div(731.0, (TensorArithmetic.Add(1.0, TensorArithmetic.Mul(62.5, q)))));
        return (l / (TensorArithmetic.Add(l, cq * TensorArithmetic.Square(q)))).MoveToOuterDisposeScope();
    }
}
