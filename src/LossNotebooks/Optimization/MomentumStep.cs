using System.Runtime.CompilerServices;
using LossNotebooks.Validation;

namespace LossNotebooks.Optimization;

/// <summary>
/// The update rule of (Nesterov) momentum, on its own so it can be checked by hand on any function. State: the velocity
/// v (starts at 0). One step, with g the gradient taken at <see cref="GradientPoint"/>:
/// <code>
///   v ← μ·v − η·g
///   W ← W + v
/// </code>
/// Classical momentum takes g at W; Nesterov's accelerated gradient (Sutskever, Martens, Dahl, Hinton 2013) takes it at
/// the look-ahead point W + μ·v, where the velocity is about to carry W anyway. With μ = 0 both are plain gradient
/// descent, W ← W − η·g, bit for bit (0·v − η·g is −η·g exactly, and W + (−η·g) is W − η·g exactly).
/// </summary>
public sealed class MomentumStep
{
    private readonly double[] _velocity;

    /// <param name="parameters">Length of W.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <param name="nesterov">Take the gradient at W + μ·v instead of W.</param>
    public MomentumStep(int parameters, double learningRate, double momentum = 0.0, bool nesterov = false)
    {
        Guard.Positive(parameters);
        Guard.Positive(learningRate);
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1).");
        _velocity = new double[parameters];
        LearningRate = learningRate;
        Momentum = momentum;
        Nesterov = nesterov;
    }

    public double LearningRate { get; }
    public double Momentum { get; }
    public bool Nesterov { get; }
    /// <summary>The current velocity v (read-only view).</summary>
    public ReadOnlySpan<double> Velocity => _velocity;

    /// <summary>
    /// Where the next gradient must be taken: <paramref name="w"/> itself for classical momentum (and μ = 0), else
    /// W + μ·v written into <paramref name="scratch"/>.
    /// </summary>
    public ReadOnlySpan<double> GradientPoint(ReadOnlySpan<double> w, Span<double> scratch)
    {
        Guard.Length(w.Length, _velocity.Length, "one entry per parameter", nameof(w));
        if (!Nesterov || Momentum == 0) return w;
        Guard.Length(scratch.Length, _velocity.Length, "one entry per parameter", nameof(scratch));
        for (int k = 0; k < _velocity.Length; k++) scratch[k] = w[k] + Momentum * _velocity[k];
        return scratch;
    }

    /// <summary>v ← μ·v − η·g, W ← W + v, with g taken at <see cref="GradientPoint"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(Span<double> w, ReadOnlySpan<double> gradient)
    {
        Guard.Length(w.Length, _velocity.Length, "one entry per parameter", nameof(w));
        Guard.Length(gradient.Length, _velocity.Length, "one entry per parameter", nameof(gradient));
        double mu = Momentum, eta = LearningRate;
        for (int k = 0; k < _velocity.Length; k++)
        {
            _velocity[k] = mu * _velocity[k] - eta * gradient[k];
            w[k] += _velocity[k];
        }
    }
}
