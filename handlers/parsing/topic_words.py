"""The words of age groups, reasons and asking for cover, English and Spanish, accent-folded and lower-case."""

from __future__ import annotations

from handlers.parsing.vocab import words

# Age groups: the words of spec/parsing.md, plus a few more teachers use.
AGE_GROUPS: dict[str, tuple[str, ...]] = {
    "infant": words("infant|infants|baby|babies|bebe|bebes|infantes|lactantes|lactante"),
    "toddler": words(
        "toddler|toddlers|twos|2s|two's|2's|two s|maternal|maternales|los de 2 anos|los de 2|los de dos anos"
        "|de 2 anos|2 anos|los de dos"
    ),
    "preschool": words(
        "preschool|pre-school|pre school|preschoolers|pre-k|prek|pre k|3s|4s|3's|4's|threes|fours|preescolar"
        "|pre-escolar|prekinder|pre-kinder|kinder prep|kinder-prep|kinderprep|los de 3 anos|los de 4 anos|los de 3"
        "|los de 4|los de tres|los de cuatro|de 3 anos|de 4 anos|3 anos|4 anos"
    ),
    "school_age": words(
        "school age|school-age|schoolage|school agers|school-agers|schoolagers|afterschool|after-school"
        "|after school|edad escolar|escolares|los escolares"
    ),
}

# Reasons, most specific first: a sick teacher going to the doctor, or her sick child, is "sick".
REASONS: dict[str, tuple[str, ...]] = {
    "sick": words(
        "sick|ill|illness|fever|flu|covid|vomiting|vomit|throwing up|not feeling well|feeling unwell|unwell"
        "|stomach bug|migraine|strep|enferma|enfermo|enfermos|enfermedad|enfermita|enfermito|fiebre|gripe|gripa"
        "|no me siento bien|me siento mal|me siento mala|me siento malo|estoy mala|estoy malo|vomito|vomitos"
        "|vomitando|diarrea|migrana|resfriado|calentura"
    ),
    "reflection": words(
        "reflective supervision|supervision|reflection|reflective|coaching|coaching session|coach"
        "|supervision reflexiva|sesion de supervision|reflexion"
    ),
    "training": words(
        "training|trainings|pd|workshop|conference|cda|course|capacitacion|taller|conferencia|curso"
        "|entrenamiento|clase de cda"
    ),
    "planning": words(
        "planning|lesson plans|lesson plan|prep|prep time|plan time|planning time|planificacion|planificar"
        "|planeacion|planear"
    ),
    "personal": words(
        "doctor|doctor's|doctors|doctora|dr|dentist|appointment|appt|family|funeral|court|jury duty|wedding"
        "|vacation|personal day|cita|medico|medica|dentista|familia|familiar|boda|vacaciones|velorio|corte|juzgado"
        "|mi hijo|mi hija|mis hijos|my son|my daughter|my kid|my kids|my child|car broke down|car trouble"
        "|flat tire|carro descompuesto|se descompuso mi carro|se me descompuso el carro|mi carro"
        "|personal|personal reasons|personal matter|personal business|asunto personal|asuntos personales"
        "|motivos personales|razones personales|personales"
    ),
}

# Words that say "this is a request" when a message names a day but no times.
REQUEST_WORDS = words(
    "need|needed|needs|cover|coverage|covering|sub|subs|substitute|floater|float|someone|somebody|out|off"
    "|absent|can't|cant|cannot|necesito|necesita|necesitamos|cobertura|cubrir|cubra|cubran|suplente|flotante"
    "|alguien|falto|faltar|ausente"
)
