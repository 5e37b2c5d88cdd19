// Reserved for small browser helpers of the console.
