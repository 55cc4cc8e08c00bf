import ts from 'typescript';
const file = process.argv[2];
const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true });
const checker = program.getTypeChecker();
const sf = program.getSourceFile(file);
const syms = checker.getExportsOfModule(checker.getSymbolAtLocation(sf));
const values = [], types = [];
for (const s of syms) { const t = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s; (t.flags & ts.SymbolFlags.Value ? values : types).push(s.name); }
console.log(values.length, 'values;', types.length, 'types');
if (process.argv[3]) console.log(types.sort().join(' '));
