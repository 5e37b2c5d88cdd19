namespace Touchpoint.Server.Payments;

public static class PaymentsServiceCollectionExtensions
{
    /// <summary>Face pay and trades: the IoT cashier, the trade methods, 交易管理, 刷脸记录, the diagnostics tool, members.</summary>
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section);
        services.AddSingleton<TerminalScreens>();
        services.AddSingleton<TradeService>();
        services.AddSingleton<FaceCashier>();
        services.AddSingleton<PaymentQueries>();
        services.AddSingleton<MemberAdmin>();
        services.AddSingleton<ConsoleRefunds>();
        services.AddSingleton<CameraFlags>();
        services.AddSingleton<OpenApi.IGatewayMethod, TradePayMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, TradePrecreateMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, TradeQueryMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, TradeRefundMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, RefundQueryMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, TradeCancelMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, TradeCloseMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, SmilePayInitializeMethod>();
        services.AddSingleton<OpenApi.IGatewayMethod, FtokenQueryMethod>();
        return services;
    }
}
