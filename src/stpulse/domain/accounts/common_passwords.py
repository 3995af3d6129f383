"""Passwords every guessing list tries first (lower-cased; a trailing run of digits is ignored when checking).

A short hand-picked list from the public leaks' top entries; `zxcvbn` (behind the PasswordStrength port) catches
the rest of the guessable ones: keyboard walks, repeats, dates, dictionary words with small changes.
"""

from __future__ import annotations

COMMON_PASSWORDS: frozenset[str] = frozenset("""
password passw0rd p@ssword p@ssw0rd password1 passwort motdepasse contraseña parol parol123 parolparol
qwerty qwerty1 qwertyu qwertyui qwertyuiop qwertyuiop[] qwertz qwertzuiop azerty azertyuiop asdf asdfgh asdfghjk
asdfghjkl asdfghjkl; zxcvbn zxcvbnm zxcvbnm, qazwsx qazwsxedc qazwsxedcrfv 1qaz2wsx 1qaz2wsx3edc zaq1zaq1 zaq12wsx
1q2w3e 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 qweasd qweasdzxc qweqweqwe qwe123qwe
ytrewq ytrewq123 poiuytrewq mnbvcxz lkjhgfdsa abc abcd abcdef abcdefg abcdefgh abcdefghij abcabc abc123abc
iloveyou iloveyou! ilovegod ilovemom ilovehim iloveher loveyou lovelove mylove
admin administrator root toor superuser adminadmin changeme letmein welcome welcome! hello helloworld
monkey dragon master shadow sunshine princess football baseball soccer hockey basketball superman batman
spiderman starwars trustno1 whatever freedom michael jennifer jordan jessica charlie thomas daniel andrew
computer internet secret mysecret test tester testing test1234 guest default login access
pokemon minecraft fortnite google facebook yahoo microsoft samsung apple iphone android
summer winter autumn spring january february march october november december
1234567890 0987654321 12345678910 11111111111 0000000000 1111111111 2222222222 1234512345 1234554321
1029384756 5555555555 7777777777 9999999999 123123123 123321123 147258369 159753 123qwe 123qweasd
123qweasdzxc 1234qwer 12345qwert 123456qwerty qwerty123456 1qazxsw2 zxcvbnm123 asdasdasd qweqwe
йцукен йцукенг йцукенгшщз йцукенгшщзхъ фывапролдж фывапролджэ ячсмитьбю пароль парольпароль привет
любовь солнышко наташа катя максим андрей александр россия москва котик зайка
""".split())
