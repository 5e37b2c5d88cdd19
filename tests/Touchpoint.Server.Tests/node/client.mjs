// Runs one alipay-sdk operation described by a JSON command on stdin and prints a JSON result on stdout.
// The .NET tests drive it so that the official SDK, not our own code, is the gateway's client.
import { readFileSync } from 'node:fs';
import { AlipaySdk, AlipayFormData } from 'alipay-sdk';

const command = JSON.parse(readFileSync(0, 'utf8'));

function sdkFor(c) {
  return new AlipaySdk({
    appId: c.appId,
    privateKey: c.privateKey,
    keyType: c.keyType ?? 'PKCS1',
    alipayPublicKey: c.alipayPublicKey,
    encryptKey: c.encryptKey,
    gateway: c.gateway,
    timeout: 30000,
  });
}

async function run(c) {
  switch (c.op) {
    case 'exec': {
      const sdk = sdkFor(c);
      const params = {};
      if (c.bizContent) params.bizContent = c.bizContent;
      if (c.appAuthToken) params.appAuthToken = c.appAuthToken;
      if (c.needEncrypt) params.needEncrypt = true;
      const options = { validateSign: c.validateSign ?? true };
      if (c.files?.length) {
        const form = new AlipayFormData();
        for (const [name, value] of Object.entries(c.fields ?? {})) form.addField(name, value);
        for (const file of c.files) form.addFile(file.field, file.name, file.path);
        options.formData = form;
        if (c.appAuthToken) form.addField('app_auth_token', c.appAuthToken);
      }
      const result = await sdk.exec(c.method, params, options);
      return { result };
    }
    case 'execParams': {
      // Top-level parameters (grant_type, code, auth_token …) rather than biz_content, as OAuth methods take them.
      const sdk = sdkFor(c);
      return { result: await sdk.exec(c.method, c.params, { validateSign: true }) };
    }
    case 'checkNotifySign': {
      const sdk = sdkFor({ appId: 'x', privateKey: c.privateKey, alipayPublicKey: c.alipayPublicKey, gateway: 'http://127.0.0.1/' });
      return { valid: sdk.checkNotifySign(c.postData), validV2: sdk.checkNotifySignV2(c.postData) };
    }
    case 'rsaCheck': {
      // How a Node back end checks my.getPhoneNumber's sign: over the ciphertext wrapped in double quotes.
      const sdk = sdkFor({ appId: 'x', privateKey: c.privateKey, alipayPublicKey: c.alipayPublicKey, gateway: 'http://127.0.0.1/' });
      return { valid: sdk.rsaCheck(c.content, c.sign, c.signType ?? 'RSA2') };
    }
    case 'aesDecrypt': {
      const sdk = sdkFor({ appId: 'x', privateKey: c.privateKey, encryptKey: c.key, gateway: 'http://127.0.0.1/' });
      return { plain: sdk.aesDecrypt(c.cipher) };
    }
    case 'aesEncrypt': {
      // The SDK's public way to encrypt: sdkExecute with needEncrypt puts the AES ciphertext in biz_content.
      const sdk = sdkFor({ appId: 'x', privateKey: c.privateKey, encryptKey: c.key, gateway: 'http://127.0.0.1/' });
      const query = new URLSearchParams(sdk.sdkExecute('alipay.test', { bizContent: c.data, needEncrypt: true }));
      return { cipher: query.get('biz_content') };
    }
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

try {
  process.stdout.write(JSON.stringify({ ok: true, ...(await run(command)) }));
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, name: e.name, message: e.message, code: e.code }));
}
