namespace Touchpoint.Server.Distribution;

public static class DistributionServiceCollectionExtensions
{
    /// <summary>应用分发: the catalogue, tasks, their worker and the device downloads.</summary>
    public static IServiceCollection AddDistribution(this IServiceCollection services)
    {
        services.AddOptions<DistributionOptions>().BindConfiguration("Distribution");
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<DownloadTokens>();
        services.AddSingleton<DistributionSignal>();
        services.AddSingleton<CatalogueService>();
        services.AddSingleton<DistributionService>();
        services.AddSingleton<DistributionQueries>();
        services.AddSingleton<DistributionReports>();
        services.AddSingleton<DistributionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DistributionWorker>());
        services.AddSingleton<OpenApi.IGatewayMethod, UpgradeAppCreateMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, AppTaskCreateMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, AppTaskQueryMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, AppTaskDetailBatchQueryMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, AppTaskOperateMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, AppDistributionDiagnoseMethod>();
        return services;
    }
}
