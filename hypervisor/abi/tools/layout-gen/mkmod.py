import os, sys
# mkmod.py out.rs header "doc" "uses" parts...
out, header, doc, uses = sys.argv[1:5]
body = ''.join(open(f"{os.environ.get('WORK', '/tmp/ferrite-layout-gen')}/out/{p}.rs.txt").read().rstrip() + '\n\n' for p in sys.argv[5:]).rstrip() + '\n'
s = ''.join('//! ' + l + '\n' if l else '//!\n' for l in doc.split('\n'))
s += '\n' + ''.join(f'use {u};\n' for u in uses.split(';') if u) + '\n'
s += 'xen_abi! {\n    header "%s";\n    structs {\n%s    }\n}\n' % (header, body)
open(out, 'w').write(s)
