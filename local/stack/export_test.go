package stack

// PlatformEnv is platformEnv, for the package's external tests.
var PlatformEnv = platformEnv

// S3Auth is s3Auth, for the package's external tests.
const S3Auth = s3Auth
