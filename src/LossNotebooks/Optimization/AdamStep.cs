using System.Runtime.CompilerServices;
using LossNotebooks.Validation;

namespace LossNotebooks.Optimization;

/// <summary>
/// The update rule of Adam (Kingma and Ba 2015), on its own so it can be checked by hand on any function. State: the
/// first and second moment estimates m and v (both start at 0) and the step count t. One step, with g the gradient at W:
/// <code>
///   t ← t + 1
///   m ← β₁·m + (1 − β₁)·g
///   v ← β₂·v + (1 − β₂)·g²
///   W ← W − η·m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// </code>
/// The bias corrections undo the pull of the zero start: at t = 1, m̂ = g and v̂ = g², so the first step is
/// η·g/(|g| + ε), about η in every coordinate whatever the gradient's scale.
/// </summary>
public sealed class AdamStep
{
    private readonly double[] _m, _v;
    private double _beta1Power = 1, _beta2Power = 1;

    /// <param name="parameters">Length of W.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="beta1">β₁ in [0, 1): decay of the gradient's running mean.</param>
    /// <param name="beta2">β₂ in [0, 1): decay of the running mean of the squared gradient.</param>
    /// <param name="epsilon">ε &gt; 0: keeps the step finite where v̂ is 0.</param>
    public AdamStep(int parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        Guard.Positive(parameters);
        Guard.Positive(learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        Guard.Positive(epsilon);
        _m = new double[parameters];
        _v = new double[parameters];
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    public double LearningRate { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    /// <summary>Steps taken so far (t).</summary>
    public int Steps { get; private set; }
    /// <summary>The first moment estimate m (read-only view).</summary>
    public ReadOnlySpan<double> FirstMoment => _m;
    /// <summary>The second moment estimate v (read-only view).</summary>
    public ReadOnlySpan<double> SecondMoment => _v;

    /// <summary>One Adam step on <paramref name="w"/> with the gradient <paramref name="gradient"/> taken at W.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(Span<double> w, ReadOnlySpan<double> gradient)
    {
        Guard.Length(w.Length, _m.Length, "one entry per parameter", nameof(w));
        Guard.Length(gradient.Length, _m.Length, "one entry per parameter", nameof(gradient));
        Steps++;
        // β^t by repeated multiplication (not Math.Pow) so that a loop written the same way gives the same bits.
        _beta1Power *= Beta1;
        _beta2Power *= Beta2;
        double b1 = Beta1, b2 = Beta2, eta = LearningRate, eps = Epsilon;
        double c1 = 1 - _beta1Power, c2 = 1 - _beta2Power;
        for (int k = 0; k < _m.Length; k++)
        {
            double g = gradient[k];
            _m[k] = b1 * _m[k] + (1 - b1) * g;
            _v[k] = b2 * _v[k] + (1 - b2) * (g * g);
            w[k] -= eta * (_m[k] / c1) / (Math.Sqrt(_v[k] / c2) + eps);
        }
    }
}
