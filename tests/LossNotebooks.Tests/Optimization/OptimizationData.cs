using LossNotebooks.Data;

namespace LossNotebooks.Tests.Optimization;

/// <summary>The digits split the optimizer tests train on, loaded once for all of them (data, not code under test).</summary>
internal static class OptimizationData
{
    public static readonly Lazy<DataSplit> Digits = new(() => Datasets.Load("digits").Split(0.25, seed: 0).Standardized());
}
