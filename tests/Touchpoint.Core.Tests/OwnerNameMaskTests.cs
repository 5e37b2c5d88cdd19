using Touchpoint.Core.Ownership;

namespace Touchpoint.Core.Tests;

public class OwnerNameMaskTests
{
    [Theory]
    [InlineData("杭州云点科技有限公司", "杭*科技有限公司")]
    [InlineData("上海码上通信息技术有限公司", "上*信息技术有限公司")]
    [InlineData("北京某某餐饮管理有限责任公司", "北*有限责任公司")]
    [InlineData("深圳蜻蜓智能科技有限公司", "深*智能科技有限公司")]
    [InlineData("李记便利店", "李*便利店")]
    [InlineData("张三丰", "张**")]
    [InlineData("王", "*")]
    [InlineData("", "")]
    public void MasksAllButFirstCharacterIndustryAndLegalForm(string name, string expected) =>
        Assert.Equal(expected, OwnerNameMask.Mask(name));

    [Fact]
    public void NeverRevealsTheDistinctivePartOfACompanyName() =>
        Assert.DoesNotContain("云点", OwnerNameMask.Mask("杭州云点科技有限公司"));
}
