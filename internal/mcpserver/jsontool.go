package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// jsonTool is a tool whose handler writes its output's JSON itself, for
// the tools on a hot path (box_score at a moment: one call per moment an
// assistant asks about). addJSONTool registers it with the SDK; the stdio
// fast path (fastpath.go) calls the same input check and handler.
type jsonTool[In any] struct {
	in *jsonschema.Resolved
	h  func(context.Context, *mcp.CallToolRequest, In) ([]byte, error)
}

// addJSONTool registers a tool whose handler writes its output's JSON
// itself and returns it.
//
// mcp.AddTool would marshal the output with encoding/json, unmarshal it
// into a map, validate the map against the output schema and marshal it
// again: in a 10,000-call session that was 40 % of the server's CPU
// (docs/benchmarks.md). Here the tool advertises exactly the schemas
// mcp.AddTool derives from In and Out (jsonschema.ForType, the SDK's own
// inference: tools/list does not change), validates the arguments against
// the input schema as the SDK does, and returns the handler's bytes as the
// structured content and as the text content (what the SDK puts there).
// The output is not validated again on every call: the handler's writer is
// byte for byte encoding/json's of an Out value (TestBoxJSONIsEncodingJSON)
// and its output is validated against the advertised schema by tests
// (TestBoxScoreOutputMatchesSchema) and by the TypeScript SDK's client,
// which checks structuredContent against outputSchema.
func addJSONTool[In, Out any](s *mcp.Server, t *mcp.Tool, h func(context.Context, *mcp.CallToolRequest, In) ([]byte, error)) *jsonTool[In] {
	in, err := jsonschema.ForType(reflect.TypeFor[In](), &jsonschema.ForOptions{})
	if err != nil {
		panic(fmt.Sprintf("mcpserver: tool %s: input schema: %v", t.Name, err))
	}
	out, err := jsonschema.ForType(reflect.TypeFor[Out](), &jsonschema.ForOptions{})
	if err != nil {
		panic(fmt.Sprintf("mcpserver: tool %s: output schema: %v", t.Name, err))
	}
	inResolved, err := in.Resolve(&jsonschema.ResolveOptions{ValidateDefaults: true})
	if err != nil {
		panic(fmt.Sprintf("mcpserver: tool %s: input schema: %v", t.Name, err))
	}
	tt := *t
	tt.InputSchema, tt.OutputSchema = in, out
	jt := &jsonTool[In]{in: inResolved, h: h}
	s.AddTool(&tt, jt.call)
	return jt
}

// input checks the arguments as the SDK does (as a map, against the input
// schema; In's inferred schema has no defaults to apply) and decodes them;
// an error is the tool error the call answers.
func (jt *jsonTool[In]) input(args json.RawMessage) (In, error) {
	var input In
	m := map[string]any{}
	if len(args) > 0 {
		if err := json.Unmarshal(args, &m); err != nil {
			return input, fmt.Errorf("validating \"arguments\": unmarshaling arguments: %w", err)
		}
	}
	var v any = m
	if err := jt.in.Validate(&v); err != nil {
		return input, fmt.Errorf("validating \"arguments\": %v", err)
	}
	if len(args) > 0 {
		if err := json.Unmarshal(args, &input); err != nil {
			return input, err
		}
	}
	return input, nil
}

// call is the tool's SDK handler: the checked input, the handler's bytes
// as structured and text content; a handler's *jsonrpc.Error is a protocol
// error, any other error a tool error.
func (jt *jsonTool[In]) call(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var args json.RawMessage
	if req.Params != nil {
		args = req.Params.Arguments
	}
	input, err := jt.input(args)
	if err != nil {
		return toolError(err), nil
	}
	b, err := jt.h(ctx, req, input)
	if err != nil {
		if wireErr, ok := err.(*jsonrpc.Error); ok {
			return nil, wireErr
		}
		return toolError(err), nil
	}
	return &mcp.CallToolResult{StructuredContent: json.RawMessage(b), Content: []mcp.Content{&mcp.TextContent{Text: string(b)}}}, nil
}

// toolError is a tool error result, as the SDK makes it.
func toolError(err error) *mcp.CallToolResult {
	var r mcp.CallToolResult
	r.SetError(err)
	return &r
}
