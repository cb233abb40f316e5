package lake

import (
	"context"
	"fmt"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// SameEndpoint reports whether l and src are buckets of one S3 endpoint, so
// that CopyFrom copies on the server.
func (l *Lake) SameEndpoint(src *Lake) bool {
	return l.s3Bucket != "" && src.s3Bucket != "" && l.s3Endpoint == src.s3Endpoint
}

// CopyFrom copies srcKey of src to key in l on the S3 server (CopyObject:
// the bytes never pass through this process), replacing the metadata with
// m (m.SHA256 must be the object's sha256: the caller read it to validate).
// ok is false, with nothing done, when the two lakes are not buckets of one
// endpoint (SameEndpoint); the caller then writes the bytes itself.
func (l *Lake) CopyFrom(ctx context.Context, src *Lake, srcKey, key string, m Meta) (ok bool, err error) {
	if !l.SameEndpoint(src) {
		return false, nil
	}
	if err := ValidateKey(key); err != nil {
		return false, err
	}
	var client *s3.Client
	if !l.b.As(&client) {
		return false, nil
	}
	if m.FetchedAt.IsZero() {
		return false, fmt.Errorf("lake: copy %s: no fetch time", key)
	}
	md := map[string]string{}
	for k, v := range m.toMap() {
		md[k] = url.PathEscape(v) // as gocloud's s3blob writes metadata values
	}
	ct := m.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	source := (&url.URL{Path: src.s3Bucket + "/" + src.prefix + srcKey}).EscapedPath()
	_, err = client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket:            aws.String(l.s3Bucket),
		Key:               aws.String(l.prefix + key),
		CopySource:        aws.String(source),
		MetadataDirective: s3types.MetadataDirectiveReplace,
		Metadata:          md,
		ContentType:       aws.String(ct),
	})
	if err != nil {
		return false, fmt.Errorf("lake: copy %s/%s to %s on the server: %w", src.URL(), srcKey, key, err)
	}
	return true, nil
}
