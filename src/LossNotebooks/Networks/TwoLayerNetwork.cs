using System.Numerics.Tensors;
using LossNotebooks.Losses;
using LossNotebooks.Validation;

namespace LossNotebooks.Networks;

/// <summary>The parameter blocks of <see cref="TwoLayerNetwork"/>, in their order in the flat parameter vector.</summary>
public enum NetworkParameter { W1, B1, W2, B2 }

/// <summary>Where the loss is entered from in <see cref="TwoLayerNetwork.LossFrom"/>: the intermediate values of the forward pass.</summary>
public enum NetworkStage
{
    /// <summary>A = X·W1 + b1 (n×h), before the ReLU.</summary>
    PreActivation,
    /// <summary>H = max(0, A) (n×h).</summary>
    Hidden,
    /// <summary>S = H·W2 + b2 (n×c), the class scores.</summary>
    Scores,
}

/// <summary>
/// The forward values and backward gradients of one batch, allocated once for n rows and reused (training does not
/// allocate per step). Forward fills A, H, S; backward fills dS, dH, dA and the parameter gradient.
/// </summary>
public sealed class NetworkActivations
{
    public NetworkActivations(TwoLayerNetwork network, int rows)
    {
        ArgumentNullException.ThrowIfNull(network);
        Guard.Positive(rows);
        Rows = rows;
        PreActivation = new double[rows * network.Hidden];
        Hidden = new double[rows * network.Hidden];
        Scores = new double[rows * network.Classes];
        DScores = new double[rows * network.Classes];
        DHidden = new double[rows * network.Hidden];
        DPreActivation = new double[rows * network.Hidden];
    }

    public int Rows { get; }
    /// <summary>A = X·W1 + b1.</summary>
    public double[] PreActivation { get; }
    /// <summary>H = ReLU(A).</summary>
    public double[] Hidden { get; }
    /// <summary>S = H·W2 + b2.</summary>
    public double[] Scores { get; }
    /// <summary>∂L/∂S = (softmax(S) − Y)/n.</summary>
    public double[] DScores { get; }
    /// <summary>∂L/∂H = ∂L/∂S · W2ᵀ.</summary>
    public double[] DHidden { get; }
    /// <summary>∂L/∂A = ∂L/∂H ⊙ [A &gt; 0].</summary>
    public double[] DPreActivation { get; }
}

/// <summary>
/// affine → ReLU → affine → softmax cross-entropy (mean over the batch), plus ½λ(‖W1‖² + ‖W2‖²):
/// <code>A = X·W1 + b1,  H = max(0, A),  S = H·W2 + b2,  L = (1/n) Σ_i (lse(S_i) − S_i,y_i) + ½λ(‖W1‖² + ‖W2‖²)</code>
/// Parameters live in one flat vector [W1 (d×h) | b1 (h) | W2 (h×c) | b2 (c)] so a finite-difference gradient of
/// <see cref="LossAt"/> lines up with <see cref="Backward"/> entry by entry. Weights start as seeded N(0, s²) with
/// s = √(2/fan-in) (He) unless a scale is given, biases at 0. Backward goes layer by layer and keeps every local
/// gradient in <see cref="NetworkActivations"/>.
/// </summary>
public sealed class TwoLayerNetwork
{
    private readonly double[] _parameters;

    public TwoLayerNetwork(int inputs, int hidden, int classes, int seed, double? weightScale = null, double regularization = 0)
    {
        Guard.Positive(inputs);
        Guard.Positive(hidden);
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        if (weightScale is double s) Guard.Positive(s, nameof(weightScale));
        Guard.NonNegative(regularization);
        (Inputs, Hidden, Classes, Seed, Regularization) = (inputs, hidden, classes, seed, regularization);
        _parameters = new double[inputs * hidden + hidden + hidden * classes + classes];
        var rng = new Random(seed);
        Fill(rng, Parameters(NetworkParameter.W1), weightScale ?? Math.Sqrt(2.0 / inputs));
        Fill(rng, Parameters(NetworkParameter.W2), weightScale ?? Math.Sqrt(2.0 / hidden));
    }

    private static void Fill(Random rng, Span<double> w, double scale)
    {
        for (int k = 0; k < w.Length; k++)
        {
            // Box–Muller: System.Random has no Gaussian on net8.0.
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            w[k] = scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }

    public int Inputs { get; }
    public int Hidden { get; }
    public int Classes { get; }
    public int Seed { get; }
    /// <summary>λ in ½λ(‖W1‖² + ‖W2‖²).</summary>
    public double Regularization { get; }
    public int ParameterCount => _parameters.Length;

    /// <summary>The flat parameter vector (mutable: training updates it in place).</summary>
    public Span<double> Parameters() => _parameters;

    /// <summary>One block of the flat parameter vector.</summary>
    public Span<double> Parameters(NetworkParameter block) => Slice(_parameters, block);

    /// <summary>(offset, length) of a block in the flat vector.</summary>
    public (int Offset, int Length) Range(NetworkParameter block)
    {
        int w1 = Inputs * Hidden, w2 = Hidden * Classes;
        return block switch
        {
            NetworkParameter.W1 => (0, w1),
            NetworkParameter.B1 => (w1, Hidden),
            NetworkParameter.W2 => (w1 + Hidden, w2),
            NetworkParameter.B2 => (w1 + Hidden + w2, Classes),
            _ => throw new ArgumentOutOfRangeException(nameof(block), block, "Unknown parameter block."),
        };
    }

    /// <summary>The same block of any flat vector laid out like the parameters (a gradient, a numeric gradient).</summary>
    public Span<double> Slice(Span<double> flat, NetworkParameter block)
    {
        Guard.Length(flat.Length, ParameterCount, "one entry per parameter", nameof(flat));
        var (o, l) = Range(block);
        return flat.Slice(o, l);
    }

    /// <summary>Runs the forward pass into <paramref name="act"/> and returns L.</summary>
    public double Forward(ReadOnlySpan<double> x, ReadOnlySpan<int> labels, NetworkActivations act) =>
        ForwardWith(_parameters, x, labels, act);

    /// <summary>
    /// Backward pass, layer by layer, after <see cref="Forward"/> on the same batch: fills dS, dH, dA in
    /// <paramref name="act"/> and writes ∂L/∂θ (flat, parameter layout) into <paramref name="gradient"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<double> x, ReadOnlySpan<int> labels, NetworkActivations act, Span<double> gradient)
    {
        CheckBatch(x, labels, act);
        Guard.Length(gradient.Length, ParameterCount, "one entry per parameter", nameof(gradient));
        int n = labels.Length;
        // Softmax cross-entropy (mean): dS = (softmax(S) − Y)/n, by the library's loss kernel.
        SoftmaxCrossEntropy.Kernel(act.Scores, Classes, labels, default, act.DScores, default, 1.0 / n);
        // Second affine: dW2 = Hᵀ·dS, db2 = Σ_rows dS, dH = dS·W2ᵀ.
        Affine.Backward(act.Hidden, n, Hidden, Parameters(NetworkParameter.W2), act.DScores,
            Slice(gradient, NetworkParameter.W2), Slice(gradient, NetworkParameter.B2), act.DHidden);
        // ReLU: dA = dH ⊙ [A > 0].
        Relu.Backward(act.PreActivation, act.DHidden, act.DPreActivation);
        // First affine: dW1 = Xᵀ·dA, db1 = Σ_rows dA (dX is not needed).
        Affine.Backward(x, n, Inputs, Parameters(NetworkParameter.W1), act.DPreActivation,
            Slice(gradient, NetworkParameter.W1), Slice(gradient, NetworkParameter.B1), default);
        // Weight decay: ∂(½λ‖W‖²)/∂W = λW (biases are not regularised).
        if (Regularization > 0)
            foreach (var block in (ReadOnlySpan<NetworkParameter>)[NetworkParameter.W1, NetworkParameter.W2])
            {
                var g = Slice(gradient, block);
                TensorPrimitives.MultiplyAdd(Parameters(block), Regularization, g, g);
            }
    }

    /// <summary>L at other parameters (flat layout), this network's shape and λ; the network is not changed.</summary>
    public double LossAt(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, ReadOnlySpan<int> labels)
    {
        Guard.Length(parameters.Length, ParameterCount, "one entry per parameter", nameof(parameters));
        Guard.AllFinite(parameters, nameof(parameters));
        return ForwardWith(parameters, x, labels, new NetworkActivations(this, labels.Length));
    }

    /// <summary>
    /// L entered from an intermediate stage with the parameters fixed: <paramref name="value"/> replaces A, H or S
    /// (n×h, n×h, n×c) and the rest of the forward pass runs from there. Its numeric gradient is the local gradient
    /// dA, dH or dS that backprop computes. (Allocates: meant for checks, not for training.)
    /// </summary>
    public double LossFrom(NetworkStage stage, ReadOnlySpan<double> value, ReadOnlySpan<int> labels)
    {
        int n = labels.Length;
        Guard.Positive(n, nameof(labels));
        Guard.Labels(labels, Classes, nameof(labels));
        Guard.AllFinite(value, nameof(value));
        var scores = new double[n * Classes];
        switch (stage)
        {
            case NetworkStage.PreActivation:
            case NetworkStage.Hidden:
            {
                Guard.Length(value.Length, n * Hidden, "n×h", nameof(value));
                var h = new double[n * Hidden];
                if (stage == NetworkStage.PreActivation) Relu.Forward(value, h); else value.CopyTo(h);
                Affine.Forward(h, n, Hidden, Parameters(NetworkParameter.W2), Parameters(NetworkParameter.B2), scores);
                break;
            }
            case NetworkStage.Scores:
                Guard.Length(value.Length, n * Classes, "n×c", nameof(value));
                value.CopyTo(scores);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown stage.");
        }
        return SoftmaxCrossEntropy.Kernel(scores, Classes, labels, default, default, default, 1.0 / n) + Penalty(_parameters);
    }

    /// <summary>
    /// Per parameter, how far it can move alone before some ReLU input A_ij changes sign (a kink of L): for W1[f,j]
    /// min_i |A_ij| / |X_if|, for b1[j] min_i |A_ij|, +∞ for W2 and b2 (L is smooth in them). A finite-difference
    /// step at or beyond this distance straddles a kink. Needs <see cref="Forward"/> on the batch first.
    /// </summary>
    public void KinkDistances(ReadOnlySpan<double> x, NetworkActivations act, Span<double> distances)
    {
        ArgumentNullException.ThrowIfNull(act);
        Guard.Length(x.Length, act.Rows * Inputs, "n×d, row-major", nameof(x));
        Guard.Length(distances.Length, ParameterCount, "one entry per parameter", nameof(distances));
        distances.Fill(double.PositiveInfinity);
        var w1 = Slice(distances, NetworkParameter.W1);
        var b1 = Slice(distances, NetworkParameter.B1);
        for (int i = 0; i < act.Rows; i++)
            for (int j = 0; j < Hidden; j++)
            {
                double a = Math.Abs(act.PreActivation[i * Hidden + j]);
                b1[j] = Math.Min(b1[j], a);
                for (int f = 0; f < Inputs; f++)
                {
                    double xf = Math.Abs(x[i * Inputs + f]);
                    if (xf > 0) w1[f * Hidden + j] = Math.Min(w1[f * Hidden + j], a / xf);
                }
            }
    }

    /// <summary>Fraction of rows whose largest score is the label (after <see cref="Forward"/>).</summary>
    public double Accuracy(ReadOnlySpan<int> labels, NetworkActivations act)
    {
        ArgumentNullException.ThrowIfNull(act);
        Guard.Length(labels.Length, act.Rows, "one per row", nameof(labels));
        int right = 0;
        for (int i = 0; i < labels.Length; i++)
            if (TensorPrimitives.IndexOfMax(act.Scores.AsSpan(i * Classes, Classes)) == labels[i]) right++;
        return (double)right / labels.Length;
    }

    private double ForwardWith(ReadOnlySpan<double> p, ReadOnlySpan<double> x, ReadOnlySpan<int> labels, NetworkActivations act)
    {
        CheckBatch(x, labels, act);
        int n = labels.Length;
        Affine.Forward(x, n, Inputs, Block(p, NetworkParameter.W1), Block(p, NetworkParameter.B1), act.PreActivation);
        Relu.Forward(act.PreActivation, act.Hidden);
        Affine.Forward(act.Hidden, n, Hidden, Block(p, NetworkParameter.W2), Block(p, NetworkParameter.B2), act.Scores);
        return SoftmaxCrossEntropy.Kernel(act.Scores, Classes, labels, default, default, default, 1.0 / n) + Penalty(p);
    }

    private ReadOnlySpan<double> Block(ReadOnlySpan<double> p, NetworkParameter block)
    {
        var (o, l) = Range(block);
        return p.Slice(o, l);
    }

    private double Penalty(ReadOnlySpan<double> p)
    {
        if (Regularization == 0) return 0;
        var w1 = Block(p, NetworkParameter.W1);
        var w2 = Block(p, NetworkParameter.W2);
        return 0.5 * Regularization * (TensorPrimitives.Dot(w1, w1) + TensorPrimitives.Dot(w2, w2));
    }

    private void CheckBatch(ReadOnlySpan<double> x, ReadOnlySpan<int> labels, NetworkActivations act)
    {
        ArgumentNullException.ThrowIfNull(act);
        if (labels.IsEmpty) throw new ArgumentException("labels is empty: need at least one row.", nameof(labels));
        Guard.Length(act.Rows, labels.Length, "activations sized for this batch", nameof(act));
        Guard.Length(x.Length, labels.Length * Inputs, "n×d, row-major", nameof(x));
        if (act.PreActivation.Length != labels.Length * Hidden || act.Scores.Length != labels.Length * Classes)
            throw new ArgumentException("act was allocated for a network of another shape.", nameof(act));
        Guard.Labels(labels, Classes, nameof(labels));
        if (!double.IsFinite(TensorPrimitives.MaxMagnitude(x))) Guard.AllFinite(x, nameof(x));
    }

    public override string ToString() =>
        $"two-layer network {Inputs} → {Hidden} (ReLU) → {Classes}, {ParameterCount} parameters, λ = {Regularization}, seed {Seed}";
}
