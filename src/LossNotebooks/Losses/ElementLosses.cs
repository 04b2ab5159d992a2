using System.Numerics;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>ℓ = softplus(z) − t·z (= −t log σ(z) − (1−t) log(1−σ(z))); ℓ' = σ(z) − t; ℓ'' = σ(z)(1 − σ(z)).</summary>
public readonly struct LogisticElement : IElementLoss
{
    public double Value(double z, double t) => ElementwiseLoss<LogisticElement>.Softplus(z) - t * z;
    public double First(double z, double t) => ElementwiseLoss<LogisticElement>.Sigmoid(z) - t;
    public double Second(double z, double t) { double p = ElementwiseLoss<LogisticElement>.Sigmoid(z); return p * (1 - p); }
    public Complex Value(Complex z, double t) => ElementwiseLoss<LogisticElement>.Softplus(z) - t * z;
}

/// <summary>ℓ = ½(z − t)² (the ½ of XGBoost's reg:squarederror, so ℓ' = z − t and ℓ'' = 1).</summary>
public readonly struct SquaredElement : IElementLoss
{
    public double Value(double z, double t) => 0.5 * (z - t) * (z - t);
    public double First(double z, double t) => z - t;
    public double Second(double z, double t) => 1.0;
    public Complex Value(Complex z, double t) => 0.5 * (z - t) * (z - t);
}

/// <summary>
/// Huber with threshold δ on r = z − t: ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond. ℓ' = clamp(r, −δ, δ);
/// ℓ'' = 1 for |r| ≤ δ and 0 beyond (ℓ is C¹ but ℓ'' jumps at |r| = δ; the convention puts |r| = δ in the quadratic piece).
/// </summary>
public readonly struct HuberElement : IElementLoss
{
    public HuberElement(double delta) { Guard.Positive(delta, nameof(delta)); Delta = delta; }
    public double Delta { get; }
    public double Value(double z, double t)
    {
        double r = z - t, a = Math.Abs(r);
        return a <= Delta ? 0.5 * r * r : Delta * (a - 0.5 * Delta);
    }
    public double First(double z, double t) => Math.Clamp(z - t, -Delta, Delta);
    public double Second(double z, double t) => Math.Abs(z - t) <= Delta ? 1.0 : 0.0;
    /// <summary>The piece is chosen by Re r, so the value is analytic in z off |Re r| = δ.</summary>
    public Complex Value(Complex z, double t)
    {
        Complex r = z - t;
        if (r.Real > Delta) return Delta * (r - 0.5 * Delta);
        if (r.Real < -Delta) return Delta * (-r - 0.5 * Delta);
        return 0.5 * r * r;
    }
}

/// <summary>
/// Binary (sigmoid) focal loss of Lin et al. with focusing γ ≥ 0 and soft target t ∈ [0, 1]:
/// ℓ = t·f(z) + (1 − t)·f(−z), f(z) = −(1 − p)^γ log p, p = σ(z) (f(−z) is the t = 0 term −p^γ log(1 − p)).
/// With q = 1 − p: f' = q^γ (γ p log p − q), f'' = −γ p q^γ (γ p log p − q) + q^γ p q (γ log p + γ + 1).
/// γ = 0 is binary logistic (tested). log p = −softplus(−z) stays finite for any finite z.
/// </summary>
public readonly struct FocalElement : IElementLoss
{
    public FocalElement(double gamma) { Guard.NonNegative(gamma, nameof(gamma)); Gamma = gamma; }
    public double Gamma { get; }

    public double Value(double z, double t) => t * F(z) + (1 - t) * F(-z);
    public double First(double z, double t) => t * F1(z) - (1 - t) * F1(-z);
    public double Second(double z, double t) => t * F2(z) + (1 - t) * F2(-z);

    private double F(double z)
    {
        double q = ElementwiseLoss<FocalElement>.Sigmoid(-z), logp = -ElementwiseLoss<FocalElement>.Softplus(-z);
        return -Math.Pow(q, Gamma) * logp;
    }

    private double F1(double z)
    {
        double p = ElementwiseLoss<FocalElement>.Sigmoid(z), q = ElementwiseLoss<FocalElement>.Sigmoid(-z);
        double logp = -ElementwiseLoss<FocalElement>.Softplus(-z);
        return Math.Pow(q, Gamma) * (Gamma * p * logp - q);
    }

    private double F2(double z)
    {
        double p = ElementwiseLoss<FocalElement>.Sigmoid(z), q = ElementwiseLoss<FocalElement>.Sigmoid(-z);
        double logp = -ElementwiseLoss<FocalElement>.Softplus(-z), u = Math.Pow(q, Gamma);
        return -Gamma * p * u * (Gamma * p * logp - q) + u * p * q * (Gamma * logp + Gamma + 1);
    }

    public Complex Value(Complex z, double t) => t * F(z) + (1 - t) * F(-z);

    private Complex F(Complex z)
    {
        Complex q = 1 / (1 + Complex.Exp(z)), logp = -ElementwiseLoss<FocalElement>.Softplus(-z);
        return -Complex.Pow(q, Gamma) * logp;
    }
}

/// <summary>Binary logistic (sigmoid cross-entropy) per entry: targets t ∈ [0, 1] (n×c, multi-label), weights per row or entry.</summary>
public sealed class BinaryLogistic : ElementwiseLoss<LogisticElement>
{
    public BinaryLogistic(double[] targets, int classes = 1, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(default, targets, classes, weights, reduction, unitInterval: true) { }
    public override string Name => "binary logistic";
    public override bool IsSmooth => true;
}

/// <summary>Squared error ½ Σ w (z − t)² with real targets (n×c), weights per row or entry.</summary>
public sealed class SquaredError : ElementwiseLoss<SquaredElement>
{
    public SquaredError(double[] targets, int classes = 1, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(default, targets, classes, weights, reduction, unitInterval: false) { }
    public override string Name => "squared error";
    public override bool IsSmooth => true;
}

/// <summary>
/// Huber(δ) on r = z − t (see <see cref="HuberElement"/>). <see cref="IScoreLoss.IsSmooth"/> is true: the gradient is
/// exact everywhere; only the second derivative jumps (1 → 0) at |r| = δ, where the Hessian takes the quadratic side.
/// </summary>
public sealed class Huber : ElementwiseLoss<HuberElement>, IKinkedScoreLoss
{
    /// <summary>Distance of each entry to |z − t| = δ, where the second derivative jumps (the gradient is continuous there).</summary>
    public void KinkDistances(ReadOnlySpan<double> scores, Span<double> distances)
    {
        CheckScores(scores);
        Guard.Length(distances.Length, Rows * Classes, "n×c, row-major", nameof(distances));
        for (int k = 0; k < scores.Length; k++) distances[k] = Math.Abs(Math.Abs(scores[k] - TargetAt(k)) - Delta);
    }

    public Huber(double[] targets, int classes = 1, double delta = 1.0, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(new HuberElement(delta), targets, classes, weights, reduction, unitInterval: false) { }
    public double Delta => Loss.Delta;
    public override string Name => $"Huber (δ = {Delta})";
    public override bool IsSmooth => true;
}

/// <summary>Sigmoid focal loss with focusing γ (see <see cref="FocalElement"/>); targets t ∈ [0, 1], weights per row or entry.</summary>
public sealed class Focal : ElementwiseLoss<FocalElement>
{
    public Focal(double[] targets, int classes = 1, double gamma = 2.0, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(new FocalElement(gamma), targets, classes, weights, reduction, unitInterval: true) { }
    public double Gamma => Loss.Gamma;
    public override string Name => $"focal (γ = {Gamma})";
    public override bool IsSmooth => true;
}
