using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Server.Payments;

/// <summary>The ACQ.* refusals as Alipay answers them (ALIPAY-IOT.md §2); the sub_msg is what a console and a terminal show.</summary>
public static class PaymentErrors
{
    public static OpenPlatformViolation Declined(string subCode, string message) => OpenPlatformViolation.Business(subCode, message);

    public static OpenPlatformViolation InvalidParameter(string message) => Declined("ACQ.INVALID_PARAMETER", message);
    public static OpenPlatformViolation NotExist() => Declined("ACQ.TRADE_NOT_EXIST", "交易不存在");
    public static OpenPlatformViolation Inconsistent() =>
        Declined("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改：同一 out_trade_no 的请求内容（金额、标题、场景或授权码）与之前不一致");
    public static OpenPlatformViolation AuthCodeInvalid(string why) => Declined("ACQ.PAYMENT_AUTH_CODE_INVALID", $"支付失败，获取顾客账户信息失败：{why}");
    public static OpenPlatformViolation BalanceNotEnough() => Declined("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足：余额、花呗与银行卡均不足以支付本笔金额");
    public static OpenPlatformViolation SwitchOff() => Declined("ACQ.USER_FACE_PAYMENT_SWITCH_OFF", "用户未开通刷脸支付（刷脸支付已关闭），请顾客在支付宝 App 中开通，或改用付款码");
    public static OpenPlatformViolation FaceFrozen() => Declined("ACQ.PAYMENT_REQUEST_HAS_RISK", "用户刷脸支付已冻结（人脸状态异常），请顾客联系支付宝客服解冻，或改用付款码");
    public static OpenPlatformViolation FaceRecapture() => Declined("ACQ.PAYMENT_REQUEST_HAS_RISK", "用户人脸信息需重新采集（人脸状态异常），请顾客在支付宝 App 刷脸设置中重新录入人脸，或改用付款码");
    public static OpenPlatformViolation DayLimit(string explanation) => Declined("ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR", explanation);
    public static OpenPlatformViolation MerchantNotMatch() =>
        Declined("ACQ.SMILE_PAY_MERCHANT_NOT_MATCH", "刷脸凭证不属于本商户：该 ftoken 产生于其他商户的机具，或机具已不属于本商户");
    public static OpenPlatformViolation TotalFeeExceed() => Declined("ACQ.TOTAL_FEE_EXCEED", "订单金额超过限额：total_amount 取值范围为 [0.01, 100000000]");
    public static OpenPlatformViolation HasSuccess() => Declined("ACQ.TRADE_HAS_SUCCESS", "交易已被支付");
    public static OpenPlatformViolation HasClosed() => Declined("ACQ.TRADE_HAS_CLOSE", "交易已关闭");
    public static OpenPlatformViolation StatusError(string message) => Declined("ACQ.TRADE_STATUS_ERROR", message);
    public static OpenPlatformViolation NotAllowRefund(string message) => Declined("ACQ.TRADE_NOT_ALLOW_REFUND", message);
    public static OpenPlatformViolation RefundExceeds(string message) => Declined("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", message);
    public static OpenPlatformViolation DiscordantRepeat() =>
        Declined("ACQ.DISCORDANT_REPEAT_REQUEST", "同一 out_request_no 的退款请求金额与之前不一致");
    public static OpenPlatformViolation CancelNotAllowed(string message) => Declined("ACQ.CANCEL_NOT_ALLOWED", message);
}
