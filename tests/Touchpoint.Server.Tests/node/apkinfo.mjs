// Prints what @devicefarmer/adbkit-apkreader reads from an APK's AndroidManifest.xml, as JSON on stdout.
// The .NET tests compare it with Touchpoint's own reader, so that a second, independent parser checks ours.
import ApkReader from '@devicefarmer/adbkit-apkreader';

const path = process.argv[2];
if (!path) {
  console.error('usage: node apkinfo.mjs <apk>');
  process.exit(2);
}

const manifest = await (await ApkReader.open(path)).readManifest();
console.log(JSON.stringify({
  package: manifest.package,
  versionCode: manifest.versionCode,
  versionName: manifest.versionName,
  usesSdk: {
    minSdkVersion: manifest.usesSdk?.minSdkVersion,
    targetSdkVersion: manifest.usesSdk?.targetSdkVersion,
  },
  label: manifest.application?.label,
}));
