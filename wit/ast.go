package wit

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The AST is the participle grammar: each struct is a production and its
// tags say how it is parsed. Every node carries the position of its first
// token; docs are attached afterwards from the comments the lexer kept.
//
// The grammar follows WIT.md "Lexical structure" and "Top-level items". It
// is deliberately a little looser than WIT in places where a precise message
// helps more than a parse error (a package header in the wrong place,
// attribute arguments); the parser checks those after parsing.

type astFile struct {
	Items []*astTopItem `parser:"@@*"`
}

type astTopItem struct {
	Pos       lexer.Position
	Attrs     []*astAttr    `parser:"@@*"`
	Interface *astInterface `parser:"( @@"`
	World     *astWorld     `parser:"| @@"`
	Use       *astTopUse    `parser:"| @@"`
	Package   *astPackage   `parser:"| @@ )"`
	docs      string
	docsPos   lexer.Position
}

// astPackage is `package a:b;` (Semi) or a nested `package a:b { ... }`.
type astPackage struct {
	Pos   lexer.Position
	Name  astPackageName `parser:"\"package\" @@"`
	Semi  *astSemi       `parser:"( @@"`
	Items []*astTopItem  `parser:"| \"{\" @@* \"}\" )"`
}

type astSemi struct {
	Pos lexer.Position
	Tok string `parser:"@\";\""`
}

type astPackageName struct {
	Pos       lexer.Position
	Namespace astID       `parser:"@@ \":\""`
	Name      astID       `parser:"@@"`
	Version   *astVersion `parser:"( \"@\" @@ )?"`
}

type astID struct {
	Pos  lexer.Position
	Name string
}

// Parse matches one identifier. Identifiers are the most frequent node, so
// this leaf is matched by hand instead of through participle's reflection.
func (id *astID) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != tokIdent {
		return participle.NextMatch
	}
	lex.Next()
	id.Pos, id.Name = t.Pos, t.Value
	return nil
}

type astVersion struct {
	Pos   lexer.Position
	Value string `parser:"@Version"`
}

type astClose struct {
	Pos lexer.Position
	Tok string `parser:"@\")\""`
}

// astAttr is `@name(key = value, ...)`; since, unstable, deprecated and
// their arguments are checked after parsing.
type astAttr struct {
	Pos   lexer.Position
	Name  astID         `parser:"\"@\" @@ \"(\""`
	Args  []*astAttrArg `parser:"( @@ ( \",\" @@ )* )?"`
	Close astClose      `parser:"@@"`
}

type astAttrArg struct {
	Pos     lexer.Position
	Key     astID       `parser:"( @@ \"=\""`
	Version *astVersion `parser:"  ( @@"`
	Ident   *astID      `parser:"  | @@ ) )"`
	String  *string     `parser:"| @String"`
}

type astTopUse struct {
	Pos  lexer.Position
	Path astUsePath `parser:"\"use\" @@"`
	As   *astID     `parser:"( \"as\" @@ )? \";\""`
}

// astUsePath is a local name (`foo`) or a package path (`ns:pkg/foo@1.0.0`).
type astUsePath struct {
	Pos     lexer.Position
	First   astID       `parser:"@@"`
	Package *astID      `parser:"( \":\" @@"`
	Name    *astID      `parser:"  \"/\" @@"`
	Version *astVersion `parser:"  ( \"@\" @@ )? )?"`
}

type astInterface struct {
	Pos   lexer.Position
	Name  astID           `parser:"\"interface\" @@ \"{\""`
	Items []*astIfaceItem `parser:"@@* \"}\""`
}

type astIfaceItem struct {
	Pos     lexer.Position
	Attrs   []*astAttr    `parser:"@@*"`
	Func    *astNamedFunc `parser:"( @@"`
	TypeDef *astTypeDef   `parser:"| @@"`
	Use     *astUse       `parser:"| @@ )"`
	docs    string
}

type astUse struct {
	Pos   lexer.Position
	Path  astUsePath    `parser:"\"use\" @@ \".\" \"{\""`
	Names []*astUseName `parser:"( @@ ( \",\" @@ )* \",\"? )? \"}\" \";\""`
}

type astUseName struct {
	Pos  lexer.Position
	Name astID  `parser:"@@"`
	As   *astID `parser:"( \"as\" @@ )?"`
}

type astNamedFunc struct {
	Pos  lexer.Position
	Name astID       `parser:"@@ \":\""`
	Func astFuncType `parser:"@@ \";\""`
}

type astFuncType struct {
	Pos    lexer.Position
	Async  bool        `parser:"@\"async\"?"`
	Params []*astParam `parser:"\"func\" \"(\" ( @@ ( \",\" @@ )* \",\"? )? \")\""`
	Result *astType    `parser:"( \"->\" @@ )?"`
}

type astParam struct {
	Pos  lexer.Position
	Name astID   `parser:"@@ \":\""`
	Type astType `parser:"@@"`
}

type astTypeDef struct {
	Pos      lexer.Position
	Resource *astResource `parser:"( @@"`
	Record   *astRecord   `parser:"| @@"`
	Variant  *astVariant  `parser:"| @@"`
	Enum     *astEnum     `parser:"| @@"`
	Flags    *astFlags    `parser:"| @@"`
	Alias    *astAlias    `parser:"| @@ )"`
}

type astResource struct {
	Pos   lexer.Position
	Name  astID              `parser:"\"resource\" @@"`
	Semi  bool               `parser:"( @\";\""`
	Items []*astResourceItem `parser:"| \"{\" @@* \"}\" )"`
}

type astResourceItem struct {
	Pos         lexer.Position
	Attrs       []*astAttr         `parser:"@@*"`
	Constructor *astConstructor    `parser:"( @@"`
	Func        *astResourceMethod `parser:"| @@ )"`
	docs        string
}

type astConstructor struct {
	Pos    lexer.Position
	Params []*astParam `parser:"\"constructor\" \"(\" ( @@ ( \",\" @@ )* \",\"? )? \")\""`
	Result *astType    `parser:"( \"->\" @@ )? \";\""`
}

type astResourceMethod struct {
	Pos    lexer.Position
	Name   astID       `parser:"@@ \":\""`
	Static bool        `parser:"@\"static\"?"`
	Func   astFuncType `parser:"@@ \";\""`
}

type astRecord struct {
	Pos    lexer.Position
	Name   astID       `parser:"\"record\" @@ \"{\""`
	Fields []*astField `parser:"( @@ ( \",\" @@ )* \",\"? )? \"}\""`
}

type astField struct {
	Pos   lexer.Position
	Attrs []*astAttr `parser:"@@*"`
	Name  astID      `parser:"@@ \":\""`
	Type  astType    `parser:"@@"`
	docs  string
}

type astVariant struct {
	Pos   lexer.Position
	Name  astID      `parser:"\"variant\" @@ \"{\""`
	Cases []*astCase `parser:"( @@ ( \",\" @@ )* \",\"? )? \"}\""`
}

type astCase struct {
	Pos   lexer.Position
	Attrs []*astAttr `parser:"@@*"`
	Name  astID      `parser:"@@"`
	Type  *astType   `parser:"( \"(\" @@ \")\" )?"`
	docs  string
}

type astEnum struct {
	Pos   lexer.Position
	Name  astID      `parser:"\"enum\" @@ \"{\""`
	Cases []*astCase `parser:"( @@ ( \",\" @@ )* \",\"? )? \"}\""`
}

type astFlags struct {
	Pos   lexer.Position
	Name  astID      `parser:"\"flags\" @@ \"{\""`
	Flags []*astCase `parser:"( @@ ( \",\" @@ )* \",\"? )? \"}\""`
}

type astAlias struct {
	Pos  lexer.Position
	Name astID   `parser:"\"type\" @@ \"=\""`
	Type astType `parser:"@@ \";\""`
}

type astType struct {
	Pos       lexer.Position
	Named     *astID        `parser:"( @@"`
	Primitive string        `parser:"| @( \"bool\" | \"u8\" | \"u16\" | \"u32\" | \"u64\" | \"s8\" | \"s16\" | \"s32\" | \"s64\" | \"f32\" | \"f64\" | \"char\" | \"string\" | \"error-context\" )"`
	List      *astListType  `parser:"| \"list\" @@"`
	Map       *astMapType   `parser:"| \"map\" @@"`
	Option    *astType      `parser:"| \"option\" \"<\" @@ \">\""`
	Result    *astResult    `parser:"| \"result\" @@"`
	Tuple     *astTupleType `parser:"| \"tuple\" @@"`
	Future    *astStreamish `parser:"| \"future\" @@"`
	Stream    *astStreamish `parser:"| \"stream\" @@"`
	Own       *astID        `parser:"| \"own\" \"<\" @@ \">\""`
	Borrow    *astID        `parser:"| \"borrow\" \"<\" @@ \">\" )"`
}

type astListType struct {
	Pos  lexer.Position
	Elem astType     `parser:"\"<\" @@"`
	Len  *astInteger `parser:"( \",\" @@ )? \">\""`
}

type astInteger struct {
	Pos   lexer.Position
	Value string `parser:"@Integer"`
}

type astMapType struct {
	Pos   lexer.Position
	Key   astType `parser:"\"<\" @@ \",\""`
	Value astType `parser:"@@ \">\""`
}

// astResult is the part after `result`: nothing, `<T>`, `<_, E>` or `<T, E>`.
type astResult struct {
	Pos  lexer.Position
	Open bool     `parser:"( @\"<\""`
	NoOK bool     `parser:"  ( @\"_\" \",\" "`
	Err1 *astType `parser:"    @@"`
	OK   *astType `parser:"  | @@"`
	Err  *astType `parser:"    ( \",\" @@ )? ) \">\" )?"`
}

type astTupleType struct {
	Pos   lexer.Position
	Types []*astType `parser:"\"<\" ( @@ ( \",\" @@ )* \",\"? )? \">\""`
}

type astStreamish struct {
	Pos  lexer.Position
	Elem *astType `parser:"( \"<\" @@ \">\" )?"`
}

type astWorld struct {
	Pos   lexer.Position
	Name  astID           `parser:"\"world\" @@ \"{\""`
	Items []*astWorldItem `parser:"@@* \"}\""`
}

type astWorldItem struct {
	Pos     lexer.Position
	Attrs   []*astAttr  `parser:"@@*"`
	Import  *astExtern  `parser:"( \"import\" @@"`
	Export  *astExtern  `parser:"| \"export\" @@"`
	Use     *astUse     `parser:"| @@"`
	Include *astInclude `parser:"| @@"`
	TypeDef *astTypeDef `parser:"| @@ )"`
	docs    string
}

// astExtern is what follows import/export: `name: func(..);`,
// `name: interface { .. }`, `name: path;` or `path;`.
type astExtern struct {
	Pos   lexer.Position
	Path  *astUsePath     `parser:"( @@ \";\""`
	Named *astNamedExtern `parser:"| @@ )"`
}

type astNamedExtern struct {
	Pos       lexer.Position
	Name      astID           `parser:"@@ \":\""`
	Func      *astFuncType    `parser:"( @@ \";\""`
	Interface *astInlineIface `parser:"| @@"`
	Path      *astUsePath     `parser:"| @@ \";\" )"`
}

type astInlineIface struct {
	Pos   lexer.Position
	Items []*astIfaceItem `parser:"\"interface\" \"{\" @@* \"}\""`
}

type astInclude struct {
	Pos   lexer.Position
	Path  astUsePath        `parser:"\"include\" @@"`
	Semi  bool              `parser:"( @\";\""`
	With  bool              `parser:"| @\"with\" \"{\""`
	Names []*astIncludeName `parser:"  ( @@ ( \",\" @@ )* \",\"? )? \"}\" )"`
}

type astIncludeName struct {
	Pos  lexer.Position
	Name astID `parser:"@@ \"as\""`
	As   astID `parser:"@@"`
}
