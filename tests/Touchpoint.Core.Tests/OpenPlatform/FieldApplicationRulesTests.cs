using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Core.Tests.OpenPlatform;

public sealed class FieldApplicationRulesTests
{
    private static DeveloperApp App(string? category = "C01_C0101", AppKind kind = AppKind.MiniProgram, long owner = 7) => new()
    {
        AppId = "2026000000000001", Name = "测试小程序", Kind = kind, OwnerId = owner, CategoryId = category,
        LogoUrl = "https://example.com/a.png", Description = "一个测试用的小程序", ServicePhone = "0571-88880000",
    };

    private static readonly Applicant Merchant = new(AccountRole.Merchant, 7, OnBehalf: false);

    private static FieldApplicationRequest Request(string api = "getPhoneNumber", string field = "mobile", string package = MemberFieldCatalogue.MobilePackage,
        string scene = "MEMBER_REGISTER", params MediaUpload[] media) =>
        new(api, field, package, scene, "10 qps", "客服 5 人", media.Length == 0 ? [new MediaUpload("picture_1", "a.png", "image/png", 100)] : media);

    private static string SubCode(Action check) => Assert.Throws<OpenPlatformViolation>(check).SubCode;

    [Fact]
    public void MerchantMayApplyForAFieldItsCategoryAllowsInAnAllowedScene() =>
        Assert.Equal("mobile", FieldApplicationRules.Check(App(), Merchant, Request()).FieldName);

    [Fact]
    public void CategoryDecidesTheFields()
    {
        Assert.Equal("isv.category-not-allowed", SubCode(() => FieldApplicationRules.Check(App("C06_C0601"), Merchant, Request())));
        Assert.Equal("isv.category-not-allowed", SubCode(() => FieldApplicationRules.Check(App(), Merchant,
            Request("alipay.user.info.share", "cert_no", MemberFieldCatalogue.MemberInfoPackage, "REAL_NAME_VERIFY"))));
        FieldApplicationRules.Check(App("C03_C0301"), Merchant, Request("alipay.user.info.share", "cert_no", MemberFieldCatalogue.MemberInfoPackage, "REAL_NAME_VERIFY"));
        Assert.Equal("isv.scene-not-allowed", SubCode(() => FieldApplicationRules.Check(App(), Merchant, Request(scene: "DELIVERY"))));
        Assert.Equal("isv.package-code-mismatch", SubCode(() => FieldApplicationRules.Check(App(), Merchant, Request(package: MemberFieldCatalogue.MemberInfoPackage))));
    }

    [Fact]
    public void BasicInformationMustBeCompleteAndTheCategorySetFirst()
    {
        Assert.Equal("isv.mini-category-not-set", SubCode(() => FieldApplicationRules.Check(App(category: null), Merchant, Request())));
        var noLogo = App();
        noLogo.LogoUrl = null;
        Assert.False(noLogo.BasicInfoComplete);
        Assert.Equal("isv.mini-baseinfo-incomplete", SubCode(() => FieldApplicationRules.Check(noLogo, Merchant, Request())));
        Assert.Equal("isv.app-type-not-supported", SubCode(() => FieldApplicationRules.Check(App(kind: AppKind.WebApp), Merchant, Request())));
    }

    [Fact]
    public void ServiceProviderNeverAppliesForItselfButMayOnBehalf()
    {
        var template = App(kind: AppKind.Template, owner: 9);
        var provider = new Applicant(AccountRole.ServiceProvider, 9, OnBehalf: false);
        var violation = Assert.Throws<OpenPlatformViolation>(() => FieldApplicationRules.Check(template, provider, Request()));
        Assert.Equal(ViolationKind.InsufficientPermissions, violation.Kind);
        FieldApplicationRules.Check(template, provider with { OnBehalf = true }, Request()); // R32: a template counts as a merchant app
        Assert.Equal("isv.insufficient-isv-permissions",
            SubCode(() => FieldApplicationRules.Check(App(owner: 8), Merchant, Request()))); // someone else's app
    }

    [Theory]
    [InlineData("picture_1", "image/png", 10L * 1024 * 1024, null)]
    [InlineData("picture_1", "image/png", 10L * 1024 * 1024 + 1, "isv.file-size-exceed")]
    [InlineData("video", "video/mp4", 1000, null)]
    [InlineData("video", "image/png", 1000, "isv.invalid-file-type")]
    [InlineData("picture_6", "image/png", 1000, "isv.invalid-parameter")]
    [InlineData("picture_2", "image/jpeg", 0, "isv.invalid-parameter")]
    public void SampleMediaAreVideoOrUpToFivePicturesOfAtMostTenMegabytes(string slot, string type, long length, string? subCode)
    {
        var request = Request(media: new MediaUpload(slot, "x", type, length));
        if (subCode is null)
        {
            FieldApplicationRules.Check(App(), Merchant, request);
        }
        else
        {
            Assert.Equal(subCode, SubCode(() => FieldApplicationRules.Check(App(), Merchant, request)));
        }
    }

    [Fact]
    public void AtLeastOneSampleAndEveryAnswerAreRequired()
    {
        Assert.Equal("isv.missing-sample-media", SubCode(() => FieldApplicationRules.Check(App(), Merchant, Request() with { Media = [] })));
        var missing = Assert.Throws<OpenPlatformViolation>(() => FieldApplicationRules.Check(App(), Merchant, Request() with { CustomerAnswer = " " }));
        Assert.Equal((ViolationKind.MissingArgument, "isv.missing-parameter"), (missing.Kind, missing.SubCode));
        Assert.Contains("customer_answer", missing.Message);
    }

    [Fact]
    public void EveryCategorySceneHasADescription() =>
        Assert.All(MemberFieldCatalogue.Categories.SelectMany(c => c.AllowedScenesByField.Values.SelectMany(s => s)),
            scene => Assert.True(MemberFieldCatalogue.SceneDescriptions.ContainsKey(scene), scene));
}

public sealed class MediaSignatureTests
{
    [Theory]
    [InlineData("89504E470D0A1A0A0000", MediaKind.Image)]
    [InlineData("FFD8FFE000104A464946", MediaKind.Image)]
    [InlineData("474946383961", MediaKind.Image)]
    [InlineData("52494646000000005745425056503820", MediaKind.Image)]
    [InlineData("000000186674797069736F6D", MediaKind.Video)]
    [InlineData("1A45DFA39F4286810142", MediaKind.Video)]
    [InlineData("3C68746D6C3E", MediaKind.Unknown)] // <html>
    [InlineData("", MediaKind.Unknown)]
    public void KnowsPicturesAndVideosByTheirFirstBytes(string hex, MediaKind expected) =>
        Assert.Equal(expected, MediaSignature.Detect(Convert.FromHexString(hex)));

    [Fact]
    public void APictureWhoseBytesAreNotAPictureIsRefused()
    {
        var app = new DeveloperApp
        {
            AppId = "2026000000000001", Name = "测试", Kind = AppKind.MiniProgram, OwnerId = 7, CategoryId = "C01_C0101",
            LogoUrl = "https://example.com/a.png", Description = "一个测试用的小程序", ServicePhone = "0571-88880000",
        };
        var request = new FieldApplicationRequest("getPhoneNumber", "mobile", MemberFieldCatalogue.MobilePackage, "MEMBER_REGISTER", "1", "1",
            [new MediaUpload("picture_1", "a.png", "image/png", 100, MediaKind.Unknown)]);
        var violation = Assert.Throws<OpenPlatformViolation>(() => FieldApplicationRules.Check(app, new Applicant(Accounts.AccountRole.Merchant, 7, false), request));
        Assert.Equal("isv.invalid-file-type", violation.SubCode);
    }
}
