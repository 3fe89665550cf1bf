using TorchSharp;
using static TorchSharp.torch;

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
            var h2 = c.H.square();
            OmegaM = c.OmegaM;
            WM = OmegaM * h2;
            WB = c.OmegaB * h2;
            FB = c.OmegaB / OmegaM;
            FC = c.OmegaC / OmegaM;
            KEq = 7.46e-2 * WM / theta2 / c.H; // eq. 3, h/Mpc
            ZEq = 2.50e4 * WM / (theta2 * theta2); // eq. 2
            var b1 = 0.313 * WM.pow(-0.419) * (1.0 + 0.607 * WM.pow(0.674));
            var b2 = 0.238 * WM.pow(0.223);
            ZDrag = 1291.0 * WM.pow(0.251) / (1.0 + 0.659 * WM.pow(0.828)) * (1.0 + b1 * WB.pow(b2)); // eq. 4
            RDrag = 31.5 * WB / (theta2 * theta2) * (1.0e3 / ZDrag); // eq. 5
            var rEq = 31.5 * WB / (theta2 * theta2) * (1.0e3 / ZEq);
            SoundHorizon = 2.0 / (3.0 * KEq) * (6.0 / rEq).sqrt()
                * (((1.0 + RDrag).sqrt() + (rEq + RDrag).sqrt()) / (1.0 + rEq.sqrt())).log(); // eq. 6, Mpc/h
            KSilk = 1.6 * WB.pow(0.52) * WM.pow(0.73) * (1.0 + (10.4 * WM).pow(-0.95)) / c.H; // eq. 7, h/Mpc
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
        var a1 = (46.9 * s.WM).pow(0.670) * (1.0 + (32.1 * s.WM).pow(-0.532));
        var a2 = (12.0 * s.WM).pow(0.424) * (1.0 + (45.0 * s.WM).pow(-0.582));
        var alphaC = a1.pow(-s.FB) * a2.pow(-s.FB.pow(3));
        var bb1 = 0.944 / (1.0 + (458.0 * s.WM).pow(-0.708));
        var bb2 = (0.395 * s.WM).pow(-0.0266);
        var betaC = 1.0 / (1.0 + bb1 * (s.FC.pow(bb2) - 1.0));

        var keq = Col(s.KEq);
        var sh = Col(s.SoundHorizon);
        var q = k / (13.41 * keq);
        var q2 = q.square();
        var qPow = q.pow(1.08);
        // T̃(k; α, β), EH98 eq. 19 (10): both CDM pieces share β_c.
        var cdmLog = (Math.E + 1.8 * Col(betaC) * q).log();
        var cTail = 386.0 / (1.0 + 69.9 * qPow);
        var tUnit = cdmLog / (cdmLog + (14.2 + cTail) * q2);
        var tAlpha = cdmLog / (cdmLog + (14.2 / Col(alphaC) + cTail) * q2);
        var ksh = k * sh;
        var f = 1.0 / (1.0 + (ksh / 5.4).pow(4));
        var cdm = f * tUnit + (1.0 - f) * tAlpha;

        // Baryons, EH98 eqs. 14, 19, 21–24.
        var y = (1.0 + s.ZEq) / (1.0 + s.ZDrag);
        var x = (1.0 + y).sqrt();
        var g = y * (-6.0 * x + (2.0 + 3.0 * y) * ((x + 1.0) / (x - 1.0)).log());
        var alphaB = 2.07 * s.KEq * s.SoundHorizon * (1.0 + s.RDrag).pow(-0.75) * g;
        var betaNode = 8.41 * s.WM.pow(0.435);
        var betaB = 0.5 + s.FB + (3.0 - 2.0 * s.FB) * ((17.2 * s.WM).square() + 1.0).sqrt();
        var tildeS = sh / (1.0 + (Col(betaNode) / ksh).pow(3)).pow(1.0 / 3.0);
        var baryonLog = (Math.E + 1.8 * q).log();
        var tUnitUnit = baryonLog / (baryonLog + (14.2 + cTail) * q2);
        var baryon = (tUnitUnit / (1.0 + (ksh / 5.2).square())
                      + Col(alphaB) / (1.0 + (Col(betaB) / ksh).pow(3)) * (-(k / Col(s.KSilk)).pow(1.4)).exp())
                     * sinc(k * tildeS / Math.PI);

        return (Col(s.FB) * baryon + Col(s.FC) * cdm).MoveToOuterDisposeScope();
    }

    internal static Tensor EisensteinHuNoWiggleAligned(CosmologyParameters c, Tensor k)
    {
        using var scope = NewDisposeScope();
        var s = new Scales(c);
        long r = k.dim();
        var alphaGamma = 1.0 - 0.328 * (431.0 * s.WM).log() * s.WB / s.WM + 0.38 * (22.3 * s.WM).log() * s.FB.square();
        var gammaEff = c.Column(s.OmegaM * s.H, r)
            * (c.Column(alphaGamma, r) + c.Column(1.0 - alphaGamma, r) / (1.0 + (0.43 * k * c.Column(s.SoundHorizon, r)).pow(4)));
        var q = k * Math.Pow(CosmologyConstants.CmbTemperature / 2.7, 2) / gammaEff;
        var l = (2.0 * Math.E + 1.8 * q).log();
        var cq = 14.2 + 731.0 / (1.0 + 62.5 * q);
        return (l / (l + cq * q.square())).MoveToOuterDisposeScope();
    }
}
