namespace Touchpoint.Core.OpenPlatform;

/// <summary>What an application asks for, before it is stored.</summary>
public sealed record FieldApplicationRequest(
    string? ApiName, string? FieldName, string? PackageCode, string? SceneCode,
    string? QpsAnswer, string? CustomerAnswer, IReadOnlyList<MediaUpload> Media);

/// <summary>A sample file as the rules see it. <c>Detected</c> is what its bytes are (<see cref="MediaSignature"/>), null when the caller did not look.</summary>
public sealed record MediaUpload(string Slot, string FileName, string ContentType, long Length, MediaKind? Detected = null);

/// <summary>Who is applying: the account behind the call, and whether it acts on behalf through a third-party app.</summary>
public sealed record Applicant(Accounts.AccountRole Role, long AccountId, bool OnBehalf);

/// <summary>The rules of seed 002 for 用户信息申请, shared by the console and alipay.open.app.api.field.apply.</summary>
public static class FieldApplicationRules
{
    public const long MaxMediaBytes = 10L * 1024 * 1024;
    public static readonly IReadOnlyList<string> MediaSlots = ["video", "picture_1", "picture_2", "picture_3", "picture_4", "picture_5"];
    public const int MaxAnswerLength = 500;

    /// <summary>Checks everything but duplicates (which need storage); returns the catalogue entry applied for.</summary>
    public static MemberApiField Check(DeveloperApp app, Applicant applicant, FieldApplicationRequest request)
    {
        CheckApplicant(app, applicant);

        Require(request.ApiName, "api_name");
        Require(request.FieldName, "field_name");
        Require(request.PackageCode, "package_code");
        Require(request.SceneCode, "scene_code");
        Require(request.QpsAnswer, "qps_answer");
        Require(request.CustomerAnswer, "customer_answer");
        if (request.QpsAnswer!.Length > MaxAnswerLength || request.CustomerAnswer!.Length > MaxAnswerLength)
        {
            throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"qps_answer 与 customer_answer 不能超过 {MaxAnswerLength} 个字符");
        }

        CheckMedia(request.Media);

        var category = CategoryOf(app);
        var field = MemberFieldCatalogue.FindField(request.ApiName!, request.FieldName!)
            ?? throw OpenPlatformViolation.Business("isv.api-field-not-exist", $"接口 {request.ApiName} 没有可申请的字段 {request.FieldName}");
        if (field.PackageCode != request.PackageCode)
        {
            throw OpenPlatformViolation.Business("isv.package-code-mismatch", $"字段 {field.FieldName} 属于功能包 {field.PackageCode}，不是 {request.PackageCode}");
        }
        if (!category.Allows(field.FieldName))
        {
            throw OpenPlatformViolation.Business("isv.category-not-allowed",
                $"小程序类目「{category.Name}」不支持申请{field.FieldTitle}（{field.FieldName}），请先修改为支持该信息的类目");
        }
        if (!category.AllowedScenesByField[field.FieldName].Contains(request.SceneCode!))
        {
            throw OpenPlatformViolation.Business("isv.scene-not-allowed",
                $"场景 {request.SceneCode} 不适用于类目「{category.Name}」的{field.FieldTitle}，请先查询可用场景");
        }
        return field;
    }

    /// <summary>R15: a service provider applies only on behalf of an authorized merchant app, never for itself.</summary>
    public static void CheckApplicant(DeveloperApp app, Applicant applicant)
    {
        if (applicant.OnBehalf)
        {
            return;
        }
        if (applicant.Role == Accounts.AccountRole.ServiceProvider)
        {
            throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions",
                "服务商不能为自己的账号申请用户信息，请使用商家授权的 app_auth_token 代商家应用申请");
        }
        if (applicant.Role != Accounts.AccountRole.Merchant || app.OwnerId != applicant.AccountId)
        {
            throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions", "只有应用所属的商家可以申请用户信息");
        }
    }

    /// <summary>The app's category; applying and querying apis both need one (R25: category first).</summary>
    public static MiniCategory CategoryOf(DeveloperApp app)
    {
        if (!app.Kind.HasBasicInfo())
        {
            throw OpenPlatformViolation.Business("isv.app-type-not-supported", $"{app.Kind.ChineseName()}不能申请用户信息，请使用小程序");
        }
        if (app.CategoryId is null)
        {
            throw OpenPlatformViolation.Business("isv.mini-category-not-set", "小程序尚未设置类目，请先通过 alipay.open.mini.baseinfo.modify 设置主营类目");
        }
        if (!app.BasicInfoComplete)
        {
            throw OpenPlatformViolation.Business("isv.mini-baseinfo-incomplete", "小程序基础信息不完整（名称、类目、图标、简介、客服电话），请先补全");
        }
        return MemberFieldCatalogue.FindCategory(app.CategoryId)
            ?? throw OpenPlatformViolation.Business("isv.mini-category-not-set", "小程序类目已下线，请重新设置");
    }

    public static void CheckMedia(IReadOnlyList<MediaUpload> media)
    {
        if (media.Count == 0)
        {
            throw OpenPlatformViolation.Invalid("isv.missing-sample-media", "请至少上传一个示例视频或图片（video、picture_1~picture_5）");
        }
        foreach (var item in media)
        {
            if (!MediaSlots.Contains(item.Slot))
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的文件参数 {item.Slot}，只接受 video 与 picture_1~picture_5");
            }
            if (item.Length > MaxMediaBytes)
            {
                throw OpenPlatformViolation.Invalid("isv.file-size-exceed", $"{item.Slot}（{item.FileName}）超过 10MB");
            }
            if (item.Length == 0)
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"{item.Slot}（{item.FileName}）是空文件");
            }
            var isVideo = item.Slot == "video";
            if (isVideo ? !item.ContentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) && !IsOctet(item.ContentType)
                        : !item.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !IsOctet(item.ContentType))
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-file-type", $"{item.Slot} 的文件类型 {item.ContentType} 不正确，应为{(isVideo ? "视频" : "图片")}");
            }
            if (item.Detected is { } detected && detected != (isVideo ? MediaKind.Video : MediaKind.Image))
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-file-type",
                    $"{item.Slot}（{item.FileName}）的内容不是{(isVideo ? "视频（MP4、MOV、WebM、AVI、FLV）" : "图片（PNG、JPEG、GIF、WebP、BMP）")}");
            }
        }
        if (media.Select(m => m.Slot).Distinct().Count() != media.Count)
        {
            throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "同一文件参数只能上传一个文件");
        }
    }

    private static bool IsOctet(string contentType) => contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase);

    private static void Require(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw OpenPlatformViolation.Missing(name);
        }
    }
}
