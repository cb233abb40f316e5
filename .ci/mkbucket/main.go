// Command mkbucket creates an S3 bucket on the local test server that
// .ci/run starts (no aws CLI is installed here). Usage:
//
//	AWS_ACCESS_KEY_ID=.. AWS_SECRET_ACCESS_KEY=.. go run ./.ci/mkbucket http://127.0.0.1:PORT bucket
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mkbucket ENDPOINT BUCKET")
		os.Exit(2)
	}
	endpoint, bucket := os.Args[1], os.Args[2]
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"))
	if err != nil {
		fail(err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
	// The server may take a while to listen on a loaded machine: retry until
	// the overall deadline rather than for a count that assumes an idle one.
	for {
		_, err = client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		var owned *types.BucketAlreadyOwnedByYou
		if err == nil || errors.As(err, &owned) {
			fmt.Printf("bucket %s ready at %s\n", bucket, endpoint)
			return
		}
		select {
		case <-ctx.Done():
			fail(fmt.Errorf("no S3 server answered at %s within 2 minutes: %w", endpoint, err))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mkbucket:", err)
	os.Exit(1)
}
