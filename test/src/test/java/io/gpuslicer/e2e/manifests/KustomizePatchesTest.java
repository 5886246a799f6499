package io.gpuslicer.e2e.manifests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.gpuslicer.e2e.manifests.ManifestSupport.yamlTree;
import static org.assertj.core.api.Assertions.assertThat;

/** The strategic-merge subset the manifest tests apply, against what kustomize does for the same patch. */
class KustomizePatchesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "maps merge key by key                  | {a: 1, m: {x: 1}}                     | {m: {y: 2}}                                  | {a: 1, m: {x: 1, y: 2}}",
            "null deletes a key                     | {a: 1, b: 2}                          | {b: null}                                    | {a: 1}",
            "lists of named objects merge by name   | {c: [{name: a, v: 1}, {name: b, v: 1}]} | {c: [{name: b, v: 2}, {name: n, v: 3}]}    | {c: [{name: a, v: 1}, {name: b, v: 2}, {name: n, v: 3}]}",
            "$patch delete removes a list item      | {c: [{name: a}, {name: b}]}           | {c: [{name: a, $patch: delete}]}             | {c: [{name: b}]}",
            "lists of scalars are replaced          | {args: [x, y]}                        | {args: [z]}                                  | {args: [z]}",
            "volume mounts merge by mountPath       | {m: [{mountPath: /a, readOnly: true}]} | {m: [{mountPath: /a, readOnly: false}]}     | {m: [{mountPath: /a, readOnly: false}]}"})
    void mergesAsKustomizeDoes(String rule, String base, String patch, String expected) {
        assertThat(KustomizePatches.merge(yamlTree(base), yamlTree(patch))).isEqualTo(yamlTree(expected));
    }
}
